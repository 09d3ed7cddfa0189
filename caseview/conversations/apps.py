from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "caseview.conversations"
    label = "conversations"
    verbose_name = "Conversations"
