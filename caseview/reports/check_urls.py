from django.urls import path

from caseview.reports import check_views, registry_views

app_name = "publication"

urlpatterns = [
    path("<str:reference>/report/pseudonyms/", registry_views.registry, name="registry"),
    path(
        "<str:reference>/report/pseudonyms/identities/", registry_views.registry_identities, name="registry-identities"
    ),
    path("<str:reference>/report/pseudonyms/new/", registry_views.registry_add, name="registry-add"),
    path(
        "<str:reference>/report/pseudonyms/<uuid:registry_entry_id>/",
        registry_views.registry_edit,
        name="registry-edit",
    ),
    path(
        "<str:reference>/report/pseudonyms/<uuid:registry_entry_id>/remove/",
        registry_views.registry_remove,
        name="registry-remove",
    ),
    path("<str:reference>/report/publication-check/", check_views.check_page, name="check"),
    path("<str:reference>/report/publication-check/<uuid:check_id>/", check_views.check_result, name="check-result"),
    path(
        "<str:reference>/report/publication-check/<uuid:check_id>/override/",
        check_views.check_override,
        name="check-override",
    ),
]
