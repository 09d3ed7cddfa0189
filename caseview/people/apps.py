from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "caseview.people"
    label = "people"
    verbose_name = "Participants"
