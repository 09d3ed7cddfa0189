from django.urls import path

from caseview.findings import views

app_name = "findings"

urlpatterns = [
    path("<str:reference>/findings/", views.finding_list, name="list"),
    path("<str:reference>/findings/new/", views.finding_create, name="create"),
    path("<str:reference>/findings/rank/", views.rank, name="rank"),
    path("<str:reference>/findings/matrix/", views.matrix, name="matrix"),
    path("<str:reference>/findings/matrix.xlsx", views.matrix_xlsx, name="matrix-xlsx"),
    path(
        "<str:reference>/findings/turning-points/<uuid:perspective_id>/",
        views.perspective_findings,
        name="perspective",
    ),
    path("<str:reference>/findings/<int:number>/", views.finding_detail, name="finding"),
    path("<str:reference>/findings/<int:number>/edit/", views.finding_edit, name="edit"),
    path("<str:reference>/findings/<int:number>/questions/", views.question_add, name="question-add"),
    path(
        "<str:reference>/findings/<int:number>/questions/<uuid:board_question_id>/",
        views.question_edit,
        name="question-edit",
    ),
    path(
        "<str:reference>/findings/<int:number>/questions/<uuid:board_question_id>/remove/",
        views.question_remove,
        name="question-remove",
    ),
]
