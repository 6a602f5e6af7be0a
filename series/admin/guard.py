"""No lost save and no 500 in the editors' admin.

A change form carries the version of the record it was loaded from (a fingerprint of the object's
fields and of every inline's rows, signed, with the time it was loaded). On save, the object's row
is locked (select_for_update: two saves of one session wait for each other instead of colliding in
its unique constraints) and the fingerprint recomputed; a form loaded before someone else's change
is refused with a message naming who changed what since (from the admin's history), instead of
silently undoing it; a form that carries no version at all (a script, a page saved from before
versions) is refused the same way. A database refusal that still gets through is an error message,
never a 500.

Import confirmations use the same fingerprint (import_flow.py): one applies only to the state it
was previewed against, and only once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, router, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from .bases import ModelAdmin

_ModelT = TypeVar("_ModelT", bound=models.Model)

# The mixin is used with ModelAdmin: type it as one (of the same model).
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = Generic

VERSION_FIELD = "_record_version"
# Named after the module it was first in: a form opened before the move still saves.
VERSION_SALT = "series.admin_guard"


def _rows_digest(queryset: models.QuerySet[Any]) -> str:
    fields = [f.attname for f in queryset.model._meta.concrete_fields]
    rows = queryset.order_by("pk").values_list(*fields)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def record_fingerprint(obj: models.Model, related: Sequence[models.QuerySet[Any]] = ()) -> str:
    """The object's fields and the rows of the related querysets, as one hash (one query each)."""
    digest = hashlib.sha256()
    digest.update(_rows_digest(type(obj)._default_manager.filter(pk=obj.pk)).encode())
    for queryset in related:
        digest.update(_rows_digest(queryset).encode())
    return digest.hexdigest()


def changes_since(obj: models.Model, since: dt.datetime) -> str:
    """Who changed what in the object since a moment, from the admin's history."""
    content_type = ContentType.objects.get_for_model(type(obj))
    entries = list(
        LogEntry.objects.filter(
            content_type=content_type, object_id=str(obj.pk), action_time__gt=since
        )
        .select_related("user")
        .order_by("action_time")[:5]
    )
    if not entries:
        return "it was changed by an import or another tool since you opened it"
    described: list[str] = []
    for entry in entries:
        local = timezone.localtime(entry.action_time)
        what = entry.get_change_message() or "changed it"
        described.append(f"{entry.user.get_username()} at {local:%H:%M:%S}: {what}")
    return "since you opened it, " + "; ".join(described)


class StaleFormGuardMixin(_AdminBase[_ModelT]):
    """For every ModelAdmin that edits the record."""

    def guarded_related(self, request: HttpRequest, obj: _ModelT) -> list[models.QuerySet[Any]]:
        """The rows the change form edits with the object: each inline's."""
        related: list[models.QuerySet[Any]] = []
        for inline in self.get_inline_instances(request, obj):
            fk = None
            for field in inline.model._meta.get_fields():
                if (
                    getattr(field, "related_model", None) is type(obj)
                    and field.concrete
                    and (field.many_to_one or field.one_to_one)
                ):
                    fk = field
                    break
            if fk is not None:
                related.append(inline.model._default_manager.filter(**{fk.name: obj}))
        return related

    def record_version(self, request: HttpRequest, obj: _ModelT) -> str:
        fingerprint = record_fingerprint(obj, self.guarded_related(request, obj))
        return signing.dumps(
            {"fp": fingerprint, "at": timezone.now().isoformat(), "pk": str(obj.pk)},
            salt=VERSION_SALT,
        )

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: _ModelT | None = None,
    ) -> HttpResponse:
        if change and obj is not None:
            # A form shown again after a validation error keeps the version it was loaded with.
            context["record_version"] = request.POST.get(VERSION_FIELD) or self.record_version(
                request, obj
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        using = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=using):
                # Two saves of one object wait for each other here; the second then finds the
                # record changed and is refused rather than meeting the first's rows in a unique
                # constraint.
                locked = (
                    self.model._default_manager.using(using)
                    .select_for_update()
                    .filter(pk=unquote(object_id))
                    .first()
                )
                if locked is not None:
                    refusal = self._stale_refusal(request, locked)
                    if refusal:
                        messages.error(request, refusal)
                        return HttpResponseRedirect(request.get_full_path())
                return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as exc:
            messages.error(
                request,
                "Nothing was saved: the database refused the change, most likely because "
                f"another editor saved this record at the same moment ({exc}). The page shows "
                "the record as it is now; make your change again.",
            )
            return HttpResponseRedirect(request.get_full_path())

    def _stale_refusal(self, request: HttpRequest, obj: _ModelT) -> str:
        posted = request.POST.get(VERSION_FIELD)
        if not posted:
            # Without a version nothing says the form saw the record as it is: saving it could
            # silently undo another editor's change, so it is refused like a stale one.
            return (
                f"Nothing was saved: this form does not carry the version of {obj} it was opened "
                "on, so saving it could silently undo another editor's change. The page now shows "
                "it as it is; make your change again if it is still needed."
            )
        try:
            version = signing.loads(posted, salt=VERSION_SALT)
            loaded_at = dt.datetime.fromisoformat(version["at"])
            if version["pk"] != str(obj.pk):
                raise ValueError("version of another record")
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return "Nothing was saved: this form's version could not be checked. Reload the page."
        current = record_fingerprint(obj, self.guarded_related(request, obj))
        if current == version["fp"]:
            return ""
        return (
            f"Nothing was saved: {obj} changed after you opened this form — "
            f"{changes_since(obj, loaded_at)}. The page now shows it as it is; make your change "
            "again if it is still needed."
        )


class RecordAdmin(StaleFormGuardMixin[_ModelT], ModelAdmin[_ModelT]):
    """The base of every admin that edits the record."""
