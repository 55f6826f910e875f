"""Revisions in django-reversion's tables, written by the services that make them, and compared field by field.

django-reversion records what its `create_revision()` block saw once the block ends, and only objects that
still exist then; a live post's draft is taken within a savepoint that is rolled back (articles.drafts), so
its versions are serialized here as django-reversion serializes them, and saved once the rollback is done."""

import difflib
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision, Version


def versions_of(objects) -> list[Version]:
    """Each object as it is now, as an unsaved django-reversion version (JSON of every field, as registered)."""
    return [
        Version(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            db=DEFAULT_DB_ALIAS,
            format="json",
            serialized_data=serializers.serialize("json", [obj]),
            object_repr=str(obj),
        )
        for obj in objects
    ]


def revision_save(versions: list[Version], *, user, comment: str) -> Revision:
    user = user if user is not None and user.is_authenticated else None
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment=comment)
    for version in versions:
        version.revision = revision
    Version.objects.bulk_create(versions)
    return revision


def revision_versions_replace(revision: Revision, versions: list[Version], *, comment: str) -> Revision:
    """Put new versions in an existing revision (an autosave following the same editor's last one)."""
    revision.version_set.all().delete()
    revision.date_created, revision.comment = timezone.now(), comment
    revision.save(update_fields=["date_created", "comment"])
    for version in versions:
        version.revision = revision
    Version.objects.bulk_create(versions)
    return revision


def version_fields_kept(version: Version, current, names) -> Version:
    """A copy of `version` whose named fields are those of `current` (the object as it is): to restore a
    version but for these fields. Serialized, so that restoring writes them as they are from the start."""
    stored = json.loads(version.serialized_data)
    now = json.loads(serializers.serialize("json", [current], fields=names))
    stored[0]["fields"].update(now[0]["fields"])
    return Version(
        content_type_id=version.content_type_id,
        object_id=version.object_id,
        db=version.db,
        format=version.format,
        serialized_data=json.dumps(stored),
        object_repr=version.object_repr,
    )


def versions_by_model(revision: Revision, model) -> list[Version]:
    content_type = ContentType.objects.get_for_model(model)
    return [version for version in revision.version_set.all() if version.content_type_id == content_type.pk]


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def before_marked(self) -> SafeString:
        return marked_difference(self.before, self.after, keep="before")

    @property
    def after_marked(self) -> SafeString:
        return marked_difference(self.before, self.after, keep="after")


def marked_difference(before: str, after: str, *, keep: str) -> SafeString:
    """One side of a side-by-side compare, HTML-escaped, with the words the other side lacks in <del> or <ins>."""
    old, new = before.split(" "), after.split(" ")
    side, tag = (old, "del") if keep == "before" else (new, "ins")
    parts = []
    for operation, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(None, old, new).get_opcodes():
        start, end = (old_start, old_end) if keep == "before" else (new_start, new_end)
        words = escape(" ".join(side[start:end]))
        if not words:
            continue
        parts.append(words if operation == "equal" else f"<{tag}>{words}</{tag}>")
    return mark_safe(" ".join(parts))  # each part escaped above


def field_changes(model, before: dict, after: dict, field_names, *, shown=str) -> list[FieldChange]:
    """The named fields of two versions' `field_dict`s, labelled as the model labels them."""
    changes = []
    for name in field_names:
        model_field = model._meta.get_field(name)
        old, new = before.get(model_field.attname), after.get(model_field.attname)
        changes.append(FieldChange(str(model_field.verbose_name).capitalize(), shown(name, old), shown(name, new)))
    return changes
