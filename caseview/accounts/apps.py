from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseview.accounts"
    label = "accounts"
    verbose_name = "Accounts"
