from django.urls import path

from caseview.reports import views

app_name = "reports"

urlpatterns = [
    path("<str:reference>/report/", views.home, name="home"),
    path("<str:reference>/report/parts/<slug:part>/", views.narrative_edit, name="narrative"),
    path("<str:reference>/report/build/", views.build, name="build"),
    path("<str:reference>/report/versions/<uuid:report_version_id>/", views.version_detail, name="version"),
    path(
        "<str:reference>/report/versions/<uuid:report_version_id>/download/<slug:file_format>/",
        views.download,
        name="download",
    ),
    path("<str:reference>/report/versions/<uuid:report_version_id>/share/", views.share, name="share"),
    path("<str:reference>/report/versions/<uuid:report_version_id>/sign-off/", views.sign_off, name="sign-off"),
    path("<str:reference>/report/versions/<uuid:report_version_id>/publish/", views.publish, name="publish"),
    path(
        "<str:reference>/report/versions/<uuid:report_version_id>/sent-to-panel/",
        views.sent_to_panel,
        name="sent-to-panel",
    ),
    path(
        "<str:reference>/report/versions/<uuid:report_version_id>/not-published/",
        views.not_published,
        name="not-published",
    ),
    path(
        "<str:reference>/report/versions/<uuid:report_version_id>/repository/",
        views.repository_submitted,
        name="repository-submitted",
    ),
    path("<str:reference>/report/shared/", views.shared_list, name="shared-list"),
    path("<str:reference>/report/shared/<uuid:report_version_id>/", views.shared_draft, name="shared-draft"),
]
