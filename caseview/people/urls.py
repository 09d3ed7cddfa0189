from django.urls import path

from caseview.people import views

app_name = "people"

urlpatterns = [
    path("<str:reference>/participants/", views.participants, name="participants"),
]
