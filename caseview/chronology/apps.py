from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "caseview.chronology"
    label = "chronology"
    verbose_name = "Chronology"
