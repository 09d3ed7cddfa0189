from django.urls import path

from caseview.conversations import check_views, letter_views, views

app_name = "conversations"

LETTERS = "<str:reference>/participants/<uuid:participant_id>/letters/"

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
    # Letters to one participant
    path(LETTERS, letter_views.participant_letters, name="letters"),
    path(f"{LETTERS}new/", letter_views.letter_new, name="letter-new"),
    path(f"{LETTERS}<uuid:letter_id>/", letter_views.letter_detail, name="letter"),
    path(f"{LETTERS}<uuid:letter_id>/sent/", letter_views.letter_sent, name="letter-sent"),
    path(f"{LETTERS}<uuid:letter_id>/docx/", letter_views.letter_docx, name="letter-docx"),
    path(f"{LETTERS}<uuid:letter_id>/pdf/", letter_views.letter_pdf, name="letter-pdf"),
]
