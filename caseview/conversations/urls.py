from django.urls import path

from caseview.conversations import letter_views, views

app_name = "conversations"

LETTERS = "<str:reference>/participants/<uuid:participant_id>/letters/"

urlpatterns = [
    path("<str:reference>/conversations/", views.list, name="list"),
    # Letters to one participant
    path(LETTERS, letter_views.participant_letters, name="letters"),
    path(f"{LETTERS}new/", letter_views.letter_new, name="letter-new"),
    path(f"{LETTERS}<uuid:letter_id>/", letter_views.letter_detail, name="letter"),
    path(f"{LETTERS}<uuid:letter_id>/sent/", letter_views.letter_sent, name="letter-sent"),
    path(f"{LETTERS}<uuid:letter_id>/docx/", letter_views.letter_docx, name="letter-docx"),
    path(f"{LETTERS}<uuid:letter_id>/pdf/", letter_views.letter_pdf, name="letter-pdf"),
]
