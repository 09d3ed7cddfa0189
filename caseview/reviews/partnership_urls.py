from django.urls import path

from caseview.conversations import letter_views
from caseview.reviews import partnership_views as views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<uuid:partnership_id>/", views.partnership_detail, name="detail"),
    path("<uuid:partnership_id>/agencies/new/", views.agency_add, name="agency-add"),
    path("<uuid:partnership_id>/lead-reviewers/new/", views.lead_reviewer_add, name="lead-reviewer-add"),
    path("<uuid:partnership_id>/people/new/", views.account_add, name="account-add"),
    path("<uuid:partnership_id>/people/<int:user_id>/", views.person_detail, name="person"),
    path("<uuid:partnership_id>/people/<int:user_id>/setup-link/", views.person_setup_link, name="person-setup-link"),
    path(
        "<uuid:partnership_id>/people/<int:user_id>/reset-second-factor/",
        views.person_reset_second_factor,
        name="person-reset-second-factor",
    ),
    # The partnership's own wording of the letters to participants
    path("<uuid:partnership_id>/letters/", letter_views.template_list, name="letters"),
    path(
        "<uuid:partnership_id>/letters/<str:letter_kind>/<str:audience>/",
        letter_views.template_edit,
        name="letter-edit",
    ),
    path(
        "<uuid:partnership_id>/letters/<str:letter_kind>/<str:audience>/reset/",
        letter_views.template_reset,
        name="letter-reset",
    ),
]
