from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "designer.projects"
    verbose_name = "Plugin projects"
