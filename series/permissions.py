"""The Editors group: may add, change and delete the record, never users, groups or permissions.

Kept in step by a post_migrate handler (series/apps.py), so a fresh database, a new model and a
test database flushed between transactional tests all have the group and its permissions.
"""

from django.db import DEFAULT_DB_ALIAS

EDITORS = "Editors"
EDITABLE_MODELS = [
    "series",
    "cargeneration",
    "circuit",
    "event",
    "season",
    "seasonclass",
    "scoringrules",
    "round",
    "session",
    "driver",
    "team",
    "teamalias",
    "entry",
    "result",
    "adjustment",
    "champion",
    "medialink",
    "penalty",
    "classificationrevision",
]
ACTIONS = ("add", "change", "delete", "view")


def ensure_editors_group(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from .models import SiteVersion

    SiteVersion.objects.using(using).get_or_create(pk=1)
    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    codenames = [f"{action}_{model}" for model in EDITABLE_MODELS for action in ACTIONS]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="series", codename__in=codenames
    )
    editors.permissions.set(permissions)
