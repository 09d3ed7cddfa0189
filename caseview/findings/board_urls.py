from django.urls import path

from caseview.findings import board_views

app_name = "board"

urlpatterns = [
    path("<str:reference>/board-response/", board_views.responses, name="responses"),
    path("<str:reference>/findings/<int:number>/response/", board_views.response_edit, name="response-edit"),
    path("<str:reference>/actions/", board_views.action_plan, name="action-plan"),
    path("<str:reference>/actions.xlsx", board_views.action_plan_xlsx, name="action-plan-xlsx"),
    path("<str:reference>/actions/new/", board_views.action_create, name="action-create"),
    path("<str:reference>/actions/<int:number>/", board_views.action_detail, name="action"),
    path("<str:reference>/actions/<int:number>/edit/", board_views.action_edit, name="action-edit"),
    path("<str:reference>/actions/<int:number>/progress/", board_views.action_progress, name="action-progress"),
]
