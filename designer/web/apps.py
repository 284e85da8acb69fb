from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "designer.web"
    verbose_name = "Web pages"
