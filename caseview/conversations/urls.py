from django.urls import path

from caseview.conversations import views

app_name = "conversations"

urlpatterns = [
    path("<str:reference>/conversations/", views.list, name="list"),
]
