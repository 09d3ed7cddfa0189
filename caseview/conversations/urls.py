from django.urls import path

from caseview.conversations import check_views, letter_views, views

app_name = "conversations"

LETTERS = "<str:reference>/participants/<uuid:participant_id>/letters/"

# The review team's pages: conversations, their records, files and the perspectives export.
CONVERSATION = "<str:reference>/conversations/<uuid:conversation_id>"
TURNING_POINT = f"{CONVERSATION}/turning-points/<uuid:perspective_id>"
urlpatterns = [
    path("<str:reference>/conversations/", views.conversation_list, name="list"),
    path("<str:reference>/conversations/new/", views.arrange, name="arrange"),
    path("<str:reference>/conversations/perspectives.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("<str:reference>/conversations/perspectives.docx", views.export, {"fmt": "docx"}, name="export-docx"),
    path(f"{CONVERSATION}/", views.record, name="record"),
    path(f"{CONVERSATION}/arrangements/", views.arrangements, name="arrangements"),
    path(f"{CONVERSATION}/share/", views.share, name="share"),
    path(f"{CONVERSATION}/reopen/", views.reopen, name="reopen"),
    path(f"{CONVERSATION}/versions/", views.history, name="history"),
    path(f"{CONVERSATION}/versions/<int:version>/", views.version, name="version"),
    path(f"{CONVERSATION}/turning-points/new/", views.perspective_add, name="perspective-add"),
    path(f"{TURNING_POINT}/", views.perspective, name="perspective"),
    path(f"{TURNING_POINT}/entries/", views.perspective_entries, name="perspective-entries"),
    path(f"{TURNING_POINT}/remove/", views.perspective_remove, name="perspective-remove"),
    path(f"{CONVERSATION}/files/new/", views.file_add, name="file-add"),
    path(f"{CONVERSATION}/files/<uuid:file_id>/", views.file_download, name="file"),
    path(f"{CONVERSATION}/files/<uuid:file_id>/retention/", views.file_retention, name="file-retention"),
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
