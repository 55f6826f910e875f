"""Writes to the library catalogue: its import (never over an editor's change) and finding an article's libraries."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from core.history import command_change_record
from core.page_generations import CONTENT, page_generations_bump
from core.writes import assign, unique_slug
from libraries.catalogue_file import CatalogueEntry
from libraries.github import Blocked, NotFound, RateLimited, TransientError
from libraries.models import Library


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # changed since imported: left as they are


def library_fingerprint(library: Library) -> str:
    """A hash of what the catalogue import writes to a library."""
    fields = [library.name, sorted(library.aliases), library.homepage, library.description]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


class LibraryIndex:
    """Every library by lower-cased name, alias and repository, for matching an article's entries."""

    def __init__(self, libraries):
        self.by_name: dict[str, Library] = {}
        self.by_repository: dict[tuple[str, str], Library] = {}
        for library in libraries:
            self.add(library)

    def add(self, library: Library) -> None:
        for name in library.all_names():
            self.by_name.setdefault(name.lower(), library)
        if library.has_repository:
            self.by_repository[(library.github_owner.lower(), library.github_repo.lower())] = library

    def find(self, *, name: str, repository: tuple[str, str] | None = None) -> Library | None:
        if repository:
            found = self.by_repository.get((repository[0].lower(), repository[1].lower()))
            if found:
                return found
        return self.by_name.get(name.lower())


def library_former_name_keep(*, library: Library, former_name: str) -> None:
    """A library renamed in the admin keeps its former name as an alias, so the articles that print it still
    find it (rather than an import creating it anew)."""
    if former_name and former_name.lower() not in {name.lower() for name in library.all_names()}:
        library.aliases = [*library.aliases, former_name]


def _changed_since_import(library: Library, *, would_change: bool) -> bool:
    """With the file's values assigned but not saved: was the stored library changed since its import?"""
    if not would_change:
        return False
    stored = Library.objects.get(pk=library.pk)
    if stored.imported_hash:
        return library_fingerprint(stored) != stored.imported_hash
    return True  # imported before fingerprints were kept: nothing says what the import wrote


def library_get_or_create(*, index: LibraryIndex, name: str, repository: tuple[str, str] | None) -> Library:
    """The catalogue's library for an article's entry; an unknown one is created (without a
    repository unless the entry links one) and shows up in the admin as needing one."""
    library = index.find(name=name, repository=repository)
    if library is None:
        library = Library(name=name, slug=unique_slug(Library, name))
        if repository:
            library.github_owner, library.github_repo = repository
        library.imported_hash = library_fingerprint(library)
        library.save()
        index.add(library)
    elif repository and not library.has_repository:
        library.github_owner, library.github_repo = repository
        library.save(update_fields=["github_owner", "github_repo"])
        index.add(library)
    return library


@transaction.atomic
def library_catalogue_import(*, entries: list[CatalogueEntry], force: bool = False) -> CatalogueResult:
    """Create or update each library by name (or alias); a field the file leaves empty is kept.

    A library changed since it was imported (in the admin, or renamed on GitHub), or imported before
    fingerprints were kept and which the file would change, is left as it is (`result.skipped`), unless
    `force`: then it is overwritten, and its admin history says so."""
    result = CatalogueResult()
    index = LibraryIndex(Library.objects.all())
    for entry in entries:
        library = _catalogue_match(index, entry)
        if library is None:
            library = Library(name=entry.name, slug=unique_slug(Library, entry.name))
            result.created += 1
        changed = _catalogue_assign(library, entry) or library.pk is None
        if library.pk and _changed_since_import(library, would_change=changed) and not force:
            result.skipped.append(entry.name)
            library.refresh_from_db()
            continue
        if changed and library.pk:
            result.updated += 1
            if force:
                command_change_record(obj=library, message="Overwritten by import_libraries --force")
        elif not changed:
            result.unchanged += 1
        if changed or library.imported_hash != library_fingerprint(library):
            library.imported_hash = library_fingerprint(library)
            library.save()
            index.add(library)
    if result.created or result.updated:
        page_generations_bump(CONTENT)
    return result


def _catalogue_match(index: LibraryIndex, entry: CatalogueEntry) -> Library | None:
    """The library an entry of the file is: by repository or name, else by one of its aliases."""
    repository = (entry.owner, entry.repo) if entry.repo else None
    library = index.find(name=entry.name, repository=repository)
    for alias in entry.aliases:
        library = library or index.find(name=alias)
    return library


def _catalogue_assign(library: Library, entry: CatalogueEntry) -> bool:
    """Set what the file gives (a field it leaves empty is kept, aliases only added); True when any changed."""
    aliases = list(library.aliases)
    aliases += [a for a in entry.aliases if a.lower() not in {x.lower() for x in aliases}]
    changed = assign(library, name=entry.name, aliases=aliases)
    if entry.repo and not library.has_repository:
        changed |= assign(library, github_owner=entry.owner, github_repo=entry.repo)
    if entry.homepage:
        changed |= assign(library, homepage=entry.homepage)
    if entry.description:
        changed |= assign(library, description=entry.description)
    return changed


class RepositoryRefused(ValueError):
    """GitHub says no such repository may be listed, or could not be asked: the message says what to do."""


# Libraries named like the repository whose own repository GitHub has not identified yet, asked about by id.
MAX_CANDIDATES_ASKED = 3


def _library_named_for(full_name: str) -> Library | None:
    """The library with this repository, under its current name or the one GitHub moved it from."""
    owner, repo = full_name.split("/")
    return (
        Library.objects.filter(github_owner__iexact=owner, github_repo__iexact=repo).first()
        or Library.objects.filter(moved_from__iexact=full_name).first()
    )


def _github_repository(client, full_name: str):
    try:
        return client.repository(full_name).repository
    except NotFound as error:
        raise RepositoryRefused(f"GitHub does not know {full_name}: check the address.") from error
    except Blocked as error:
        raise RepositoryRefused(f"GitHub blocks {full_name} for legal reasons: it cannot be listed.") from error
    except (TransientError, RateLimited) as error:
        raise RepositoryRefused(
            f"GitHub did not answer about {full_name}, so it could not be checked: try again in a minute "
            "(the address is kept)."
        ) from error


def _library_under_an_older_name(repository, client) -> Library | None:
    """A library named like the repository (or with it as an alias) whose repository GitHub has not identified
    yet: the same one if GitHub, asked about it, answers with the same repository (it followed a rename)."""
    names = {repository.full_name.split("/")[1].lower()}
    candidates = [
        library
        for library in Library.objects.with_repository().filter(github_id__isnull=True)
        if names & ({name.lower() for name in library.all_names()} | {library.github_repo.lower()})
    ]
    for library in candidates[:MAX_CANDIDATES_ASKED]:
        try:
            if _github_repository(client, library.full_name).github_id == repository.github_id:
                return library
        except RepositoryRefused:
            continue
    return None


def _new_library_name(repository) -> str:
    """GitHub's name of the repository ("LightGBM"), with its owner when another library has that name."""
    owner, repo = repository.full_name.split("/")
    return repo if not Library.objects.filter(name__iexact=repo).exists() else f"{repo} ({owner})"


@transaction.atomic
def library_for_repository(*, owner: str, repo: str, client) -> tuple[Library, bool]:
    """The catalogue's library for a GitHub repository, and whether it had to be created. One library per
    repository: found by its address, by the name GitHub moved it from, by GitHub's id (GitHub follows renames
    and transfers), or as a library named like it whose repository turns out to be the same; else a namesake
    without a repository gets it, else a new library named as GitHub names the repository. Refused
    (RepositoryRefused) when GitHub does not know it, blocks it, or cannot be asked."""
    full_name = f"{owner}/{repo}"
    library = _library_named_for(full_name)
    if library is not None:
        return library, False
    repository = _github_repository(client, full_name)
    library = (
        Library.objects.filter(github_id=repository.github_id).first()
        or _library_named_for(repository.full_name)
        or _library_under_an_older_name(repository, client)
    )
    if library is not None:
        if library.github_id is None:
            Library.objects.filter(pk=library.pk).update(github_id=repository.github_id)
        return library, False
    owner, repo = repository.full_name.split("/")
    library = Library.objects.without_repository().filter(name__iexact=repo).first()
    if library is not None:
        library.github_owner, library.github_repo, library.github_id = owner, repo, repository.github_id
        library.save(update_fields=["github_owner", "github_repo", "github_id"])
        return library, False
    name = _new_library_name(repository)
    try:
        with transaction.atomic():
            library = Library.objects.create(
                name=name,
                slug=unique_slug(Library, name, max_length=120),
                github_owner=owner,
                github_repo=repo,
                github_id=repository.github_id,
            )
    except IntegrityError:  # another editor's save made it a moment ago
        library = Library.objects.filter(github_id=repository.github_id).first()
        if library is None:
            raise
        return library, False
    return library, True
