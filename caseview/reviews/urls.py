from django.urls import path

from caseview.reviews import parallel_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("audit/", views.audit_all, name="audit-all"),
    path("audit/export.csv", views.audit_all_export, name="audit-all-export"),
    path("<str:reference>/", views.overview, name="overview"),
    path("<str:reference>/edit/", views.review_edit, name="edit"),
    path("<str:reference>/stage/", views.stage_change, name="stage"),
    path("<str:reference>/questions/new/", views.question_add, name="question-add"),
    path("<str:reference>/questions/<int:number>/", views.question_edit, name="question-edit"),
    path("<str:reference>/people/", views.people, name="people"),
    path("<str:reference>/people/add/", views.member_add, name="member-add"),
    path("<str:reference>/people/<uuid:membership_id>/", views.member_edit, name="member-edit"),
    path("<str:reference>/parallel-processes/", parallel_views.process_list, name="parallel-processes"),
    path("<str:reference>/parallel-processes/new/", parallel_views.process_add, name="parallel-process-add"),
    path("<str:reference>/parallel-processes/none/", parallel_views.processes_none, name="parallel-processes-none"),
    path(
        "<str:reference>/parallel-processes/<uuid:process_id>/",
        parallel_views.process_edit,
        name="parallel-process",
    ),
    path(
        "<str:reference>/parallel-processes/<uuid:process_id>/remove/",
        parallel_views.process_remove,
        name="parallel-process-remove",
    ),
    path("<str:reference>/audit/", views.review_audit, name="audit"),
    path("<str:reference>/audit/export.csv", views.review_audit_export, name="audit-export"),
]
