from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "designer.signing"
    verbose_name = "Signing"

    def ready(self):
        from designer.signing import checks  # noqa: F401 - registers the system check
