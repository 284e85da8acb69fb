from django.apps import AppConfig


class PlaygroundConfig(AppConfig):
    name = "designer.playground"
    verbose_name = "Playground and model discovery"

    def ready(self):
        from designer.playground import tasks  # noqa: F401 - registers the tasks by name
