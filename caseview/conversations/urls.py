from django.urls import path

from caseview.conversations import check_views, views

app_name = "conversations"

urlpatterns = [
    path("<str:reference>/conversations/", views.list, name="list"),
    # The participant's own check of their record (check_views.py).
    path("<str:reference>/my-record/", check_views.my_records, name="my-records"),
    path("<str:reference>/conversations/<uuid:conversation_id>/check/", check_views.check, name="check"),
    path(
        "<str:reference>/conversations/<uuid:conversation_id>/check/comment/",
        check_views.comment,
        name="check-comment",
    ),
    path(
        "<str:reference>/conversations/<uuid:conversation_id>/check/sections/<slug:section_key>/",
        check_views.correct_section,
        name="check-section",
    ),
    path(
        "<str:reference>/conversations/<uuid:conversation_id>/check/turning-points/<int:number>/",
        check_views.correct_turning_point,
        name="check-turning-point",
    ),
    path("<str:reference>/conversations/<uuid:conversation_id>/check/agree/", check_views.agree, name="check-agree"),
]
