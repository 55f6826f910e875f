"""A library's revisions: what editors (and merges) saved of it, compared and restored. GitHub's figures are not
in them: they have their own history (snapshots), and restoring a version never brings old figures back."""

from django.db import transaction
from reversion.models import Revision, Version

from core.page_generations import CONTENT, page_generations_bump
from core.revisions import field_changes, revision_save, versions_of
from libraries.models import Library

EDITORIAL_FIELDS = ["name", "slug", "aliases", "github_owner", "github_repo", "homepage", "description"]


def library_revision_record(library: Library, *, user, comment: str) -> Revision:
    return revision_save(versions_of([Library.objects.get(pk=library.pk)]), user=user, comment=comment)


def library_versions(library: Library):
    return Version.objects.get_for_object(library).select_related("revision__user")


def _shown(name, value) -> str:
    if name == "aliases":
        return ", ".join(value or []) or "—"
    return str(value) if value not in (None, "") else "—"


def library_versions_compare(older: Version, newer: Version):
    return field_changes(Library, older.field_dict, newer.field_dict, EDITORIAL_FIELDS, shown=_shown)


@transaction.atomic
def library_revision_restore(library: Library, version: Version, *, user) -> Library:
    """Bring back what editors had said of the library then (its names, repository, homepage, description)."""
    fields = version.field_dict
    library = Library.objects.select_for_update().get(pk=library.pk)
    for name in EDITORIAL_FIELDS:
        setattr(library, name, fields[name])
    library.full_clean(
        exclude=[name for name in (f.name for f in Library._meta.fields) if name not in EDITORIAL_FIELDS]
    )
    library.save()
    library_revision_record(
        library, user=user, comment=f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}."
    )
    page_generations_bump(CONTENT)
    return library
