from django.urls import path

from caseview.meetings import views

app_name = "meetings"

urlpatterns = [
    path("<str:reference>/meetings/", views.list, name="list"),
    path("<str:reference>/meetings/arrange/", views.arrange, name="arrange"),
    path("<str:reference>/meetings/<uuid:meeting_id>/", views.meeting, name="meeting"),
    path("<str:reference>/meetings/<uuid:meeting_id>/edit/", views.edit, name="edit"),
    path("<str:reference>/meetings/<uuid:meeting_id>/invitations/", views.invitations, name="invitations"),
    path("<str:reference>/meetings/<uuid:meeting_id>/attendance/", views.attendance, name="attendance"),
]
