"""Writes to the library catalogue."""

import re
from dataclasses import dataclass

import yaml
from django.db import transaction
from django.utils.text import slugify

from libraries.models import Library

_REPOSITORY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)$")


class CatalogueError(ValueError):
    """The catalogue file cannot be imported; `str()` names the file and what is wrong."""


@dataclass
class CatalogueEntry:
    name: str
    aliases: list[str]
    owner: str
    repo: str
    homepage: str
    description: str


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


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


def unique_slug(model, text: str, *, instance=None, max_length: int = 100) -> str:
    base = (slugify(text) or "item")[:max_length]
    candidate, number = base, 2
    others = model.objects.exclude(pk=instance.pk) if instance and instance.pk else model.objects.all()
    while others.filter(slug=candidate).exists():
        candidate = f"{base[: max_length - 4]}-{number}"
        number += 1
    return candidate


def assign(instance, **fields) -> bool:
    """Set the fields that differ; True when any did, so callers save only real changes."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def library_get_or_create(*, index: LibraryIndex, name: str, repository: tuple[str, str] | None) -> Library:
    """The catalogue's library for an article's entry; an unknown one is created (without a
    repository unless the entry links one) and shows up in the admin as needing one."""
    library = index.find(name=name, repository=repository)
    if library is None:
        library = Library(name=name, slug=unique_slug(Library, name))
        if repository:
            library.github_owner, library.github_repo = repository
        library.save()
        index.add(library)
    elif repository and not library.has_repository:
        library.github_owner, library.github_repo = repository
        library.save(update_fields=["github_owner", "github_repo"])
        index.add(library)
    return library


def parse_catalogue(text: str, *, source: str) -> list[CatalogueEntry]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogueError(f"{source}: not valid YAML ({error})") from error
    if not isinstance(data, list):
        raise CatalogueError(f"{source}: expected a list of libraries ('- name: …' items)")
    entries, problems, seen = [], [], set()
    for number, item in enumerate(data, start=1):
        where = f"{source}: library #{number}"
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            problems.append(f"{where}: every library needs a name")
            continue
        name = str(item["name"]).strip()
        where = f"{where} ({name})"
        if name.lower() in seen:
            problems.append(f"{where}: listed twice")
        seen.add(name.lower())
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.append(f"{where}: aliases must be a list of names")
            aliases = []
        owner = repo = ""
        repository = str(item.get("repository") or "").strip()
        if repository:
            match = _REPOSITORY.match(repository)
            if not match:
                problems.append(f"{where}: repository {repository!r} is not 'owner/name'")
            else:
                owner, repo = match.groups()
        homepage = str(item.get("homepage") or "").strip()
        if homepage and not homepage.startswith(("http://", "https://")):
            problems.append(f"{where}: homepage {homepage!r} is not an http(s) address")
        entries.append(
            CatalogueEntry(
                name=name,
                aliases=[a.strip() for a in aliases],
                owner=owner,
                repo=repo,
                homepage=homepage,
                description=str(item.get("description") or "").strip(),
            )
        )
    if problems:
        raise CatalogueError("\n".join(problems))
    return entries


@transaction.atomic
def library_catalogue_import(*, entries: list[CatalogueEntry]) -> CatalogueResult:
    """Create or update each library by name (or alias); a field the file leaves empty is kept."""
    result = CatalogueResult()
    index = LibraryIndex(Library.objects.all())
    for entry in entries:
        repository = (entry.owner, entry.repo) if entry.repo else None
        library = index.find(name=entry.name, repository=repository)
        if library is None:
            for alias in entry.aliases:
                library = index.find(name=alias)
                if library:
                    break
        if library is None:
            library = Library(name=entry.name, slug=unique_slug(Library, entry.name))
            result.created += 1
            changed = True
        else:
            changed = False
        aliases = list(library.aliases)
        aliases += [a for a in entry.aliases if a.lower() not in {x.lower() for x in aliases}]
        changed |= assign(library, name=entry.name, aliases=aliases)
        if entry.repo and not library.has_repository:
            changed |= assign(library, github_owner=entry.owner, github_repo=entry.repo)
        if entry.homepage:
            changed |= assign(library, homepage=entry.homepage)
        if entry.description:
            changed |= assign(library, description=entry.description)
        if changed:
            if library.pk:
                result.updated += 1
            library.save()
            index.add(library)
        else:
            result.unchanged += 1
    return result
