from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "designer.editor"
    verbose_name = "Form <-> spec editor"
