from django.urls import path

from caseview.meetings import views

app_name = "meetings"

urlpatterns = [
    path("<str:reference>/meetings/", views.list, name="list"),
]
