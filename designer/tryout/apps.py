from django.apps import AppConfig


class TryoutConfig(AppConfig):
    name = "designer.tryout"
    verbose_name = "Test connection"

    def ready(self):
        from designer.tryout import tasks  # noqa: F401 - registers run_tryout
