from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "series"
    verbose_name = "The pyramid"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
