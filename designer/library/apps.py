from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "designer.library"
    verbose_name = "Team library of model definitions"
