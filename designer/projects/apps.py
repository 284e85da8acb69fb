from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "designer.projects"
    verbose_name = "Plugin projects"

    def ready(self):
        # The library lists, filters by and protects the definitions projects use, without
        # importing projects: it asks the source registered here.
        from designer.library import uses
        from designer.projects.library_use import ProjectPlugins

        uses.register(ProjectPlugins())
