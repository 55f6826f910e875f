"""python manage.py merge_libraries KEEP DUPLICATE [DUPLICATE …]: one library where a repository became two."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from libraries.merging import NothingToMerge, libraries_merge
from libraries.models import Library


def library_named(text: str) -> Library:
    """A library by its address on the site (slug), its name or its repository (owner/repo)."""
    owner, _, repo = text.partition("/")
    found = Library.objects.filter(
        Q(slug=text) | Q(name__iexact=text) | Q(github_owner__iexact=owner, github_repo__iexact=repo)
    ).distinct()
    if len(found) != 1:
        what = "no library" if not found else f"{len(found)} libraries"
        raise CommandError(f"“{text}” names {what}: give its slug, its name or its repository (owner/repo).")
    return found[0]


class Command(BaseCommand):
    help = (
        "Merge duplicate libraries into the first one named: their entries in posts, figures history, names (kept "
        "as aliases) and revisions move to it; nothing else is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("keep", help="the library kept: slug, name or owner/repo")
        parser.add_argument("duplicates", nargs="+", help="the libraries merged into it")

    def handle(self, *args, keep, duplicates, **options):
        kept = library_named(keep)
        try:
            result = libraries_merge(keep=kept, duplicates=[library_named(name) for name in duplicates])
        except NothingToMerge as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Merged {', '.join(result.merged)} into {result.kept.name}.")
        for note in result.notes:
            self.stdout.write(f"  {note}")
