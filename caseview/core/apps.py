from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caseview.core"
    label = "core"
    verbose_name = "Core"
