from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "designer.accounts"
    verbose_name = "Accounts and teams"
