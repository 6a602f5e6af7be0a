"""Every change to the record raises the site version (which keys the standings cache, the feeds
and the calendar files) and stamps the parts of the record it touched, which key the cached pages
(series/versions.py): a result saved in one season evicts that season's pages, not the site's."""

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import standings_store, versions
from .models import (
    CacheVersion,
    Driver,
    Season,
    SiteVersion,
    StandingsSnapshot,
    StoredStanding,
    Team,
)


def record_changed(
    sender: type[models.Model] | None = None, instance: models.Model | None = None, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    created = bool(kwargs.get("created"))
    parts = versions.parts_touched(instance, created) if instance is not None else {versions.SITE}
    if versions.SITE in parts:
        versions.stamp_site()
    else:
        versions.stamp(parts)
    if instance is not None and not created:
        _schedule_standings(instance)


def _schedule_standings(instance: models.Model) -> None:
    """Changes the stored standings show but versions.stamp() sees as SITE: a season's own fields
    (results_partial decides what is unknown) and a driver's or team's name or nationality."""
    if isinstance(instance, Season):
        standings_store.schedule([instance.pk])
    elif isinstance(instance, Driver):
        standings_store.schedule(standings_store.seasons_of_people(driver_id=instance.pk))
    elif isinstance(instance, Team):
        standings_store.schedule(standings_store.seasons_of_people(team_id=instance.pk))


def bump_site_version(**kwargs: Any) -> None:
    """A change whose extent the caller does not say (an import writing in bulk, the synthetic
    history): every page is evicted. Code that knows what it touched calls
    versions.stamp_instances(season, ...) instead and leaves the rest cached."""
    if kwargs.get("raw"):
        return
    versions.stamp_site()


def _m2m_changed(
    sender: type[models.Model] | None = None, instance: models.Model | None = None, **kwargs: Any
) -> None:
    # Only the record's own relations (auth's group permissions change during migrate, before
    # the version tables exist).
    if instance is not None and instance._meta.app_label == "series":
        bump_site_version(**kwargs)


def _connect() -> None:
    for model in apps.get_app_config("series").get_models():
        if (
            # Stored standings are written after the change they follow, which stamped already.
            model in (SiteVersion, CacheVersion, StandingsSnapshot, StoredStanding)
            or model._meta.model_name == "classificationrevision"
        ):
            # A revision only records a change whose own save raised the version already.
            continue
        post_save.connect(
            record_changed, sender=model, dispatch_uid=f"bump-save-{model._meta.label}"
        )
        post_delete.connect(
            record_changed, sender=model, dispatch_uid=f"bump-delete-{model._meta.label}"
        )
    m2m_changed.connect(_m2m_changed, dispatch_uid="bump-m2m")


_connect()
