from django.urls import path

from caseview.people import views

app_name = "people"

urlpatterns = [
    path("<str:reference>/participants/", views.participants, name="participants"),
    path("<str:reference>/participants/add/", views.participant_add, name="participant-add"),
    path("<str:reference>/participants/family-decision/", views.family_decision, name="family-decision"),
    path("<str:reference>/participants/<uuid:participant_id>/", views.participant, name="participant"),
    path(
        "<str:reference>/participants/<uuid:participant_id>/real-name/",
        views.participant_real_name,
        name="participant-real-name",
    ),
    path("<str:reference>/participants/<uuid:participant_id>/edit/", views.participant_edit, name="participant-edit"),
    path(
        "<str:reference>/participants/<uuid:participant_id>/account/",
        views.participant_account,
        name="participant-account",
    ),
    path("<str:reference>/participants/<uuid:participant_id>/consent/", views.consent_add, name="consent-add"),
    path(
        "<str:reference>/participants/<uuid:participant_id>/consent/<str:scope>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
]
