from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate


def _install_framework(*, apps: Apps = global_apps, **kwargs: Any) -> None:
    """The contributory factor framework is reference data every installation needs, like Django's own
    permissions, so it is put in place after migrating (with the models as the migrations left them) and
    after a database is flushed (which says nothing of `apps`)."""
    from caseview.analysis.services import framework_install

    try:
        apps.get_model("analysis", "ContributoryFactorType")
    except LookupError:  # migrated only part of the way: the tables are not there yet
        return
    framework_install(apps=apps)


class AnalysisConfig(AppConfig):
    name = "caseview.analysis"
    label = "analysis"
    verbose_name = "Analysis"

    def ready(self) -> None:
        post_migrate.connect(_install_framework, sender=self, dispatch_uid="caseview.analysis.framework")
