from django.urls import path

from caseview.chronology import views

app_name = "chronology"

urlpatterns = [
    path("<str:reference>/chronology/", views.chronology, name="chronology"),
    path("<str:reference>/chronology/timeline/", views.timeline, name="timeline"),
    path("<str:reference>/chronology/links/", views.links, name="links"),
    path("<str:reference>/chronology/links/<int:link_id>/", views.link_decide, name="link-decide"),
    path("<str:reference>/chronology/export.<str:fmt>", views.export, name="export"),
    path("<str:reference>/chronology/entries/<uuid:entry_id>/", views.entry, name="entry"),
    path("<str:reference>/chronology/entries/<uuid:entry_id>/comments/", views.entry_comment, name="entry-comment"),
    path("<str:reference>/returns/", views.returns, name="returns"),
    path("<str:reference>/returns/request/", views.returns_request, name="returns-request"),
    path("<str:reference>/returns/<uuid:return_id>/", views.return_detail, name="return"),
    path("<str:reference>/returns/<uuid:return_id>/upload/", views.return_upload, name="return-upload"),
    path("<str:reference>/returns/<uuid:return_id>/uploads/<uuid:upload_id>/", views.upload, name="upload"),
    path("<str:reference>/returns/<uuid:return_id>/entries/new/", views.return_entry_add, name="return-entry-add"),
    path("<str:reference>/returns/<uuid:return_id>/release/", views.return_release, name="return-release"),
]
