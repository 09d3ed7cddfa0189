from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "caseview.meetings"
    label = "meetings"
    verbose_name = "Case group meetings"
