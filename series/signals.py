"""Every change to the record raises the site version, which keys the caches (see SiteVersion)."""

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import SiteVersion


def bump_site_version(**kwargs) -> None:
    if kwargs.get("raw"):
        return
    updated = SiteVersion.objects.filter(pk=1).update(version=models.F("version") + 1)
    if not updated:
        SiteVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def _connect() -> None:
    for model in apps.get_app_config("series").get_models():
        if model is SiteVersion or model._meta.model_name == "classificationrevision":
            # A revision only records a change whose own save raised the version already.
            continue
        post_save.connect(
            bump_site_version, sender=model, dispatch_uid=f"bump-save-{model._meta.label}"
        )
        post_delete.connect(
            bump_site_version, sender=model, dispatch_uid=f"bump-delete-{model._meta.label}"
        )
    m2m_changed.connect(bump_site_version, dispatch_uid="bump-m2m")


_connect()
