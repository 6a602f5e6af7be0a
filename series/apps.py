from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SeriesConfig(AppConfig):
    name = "series"
    verbose_name = "The pyramid"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401

        # After auth has created the permissions (post_migrate runs per app, auth's first).
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="series-editors-group")


def _after_migrate(sender: AppConfig, using: str, **kwargs) -> None:
    from .permissions import ensure_editors_group

    ensure_editors_group(using=using)
