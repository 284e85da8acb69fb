from django.apps import AppConfig


class BuildsConfig(AppConfig):
    name = "designer.builds"
    verbose_name = "Builds"

    def ready(self):
        # Make the project's Celery app the current one, so tasks sent from the web process
        # go to the configured broker; the worker imports it through `-A designer.celery`.
        # The tasks module registers run_build, which the service sends by name.
        import designer.celery  # noqa: F401
        from designer.builds import signals, tasks  # noqa: F401
