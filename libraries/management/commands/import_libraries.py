"""python manage.py import_libraries FILE.yaml"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from libraries.services import CatalogueError, library_catalogue_import, parse_catalogue


class Command(BaseCommand):
    help = (
        "Load the library catalogue (name, aliases, repository). Re-running updates, never duplicates, and "
        "leaves alone a library changed in the admin since it was imported, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.yaml")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite libraries changed since they were imported (recorded in each one's admin history).",
        )

    def handle(self, *args, file, force, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file ({error})") from error
        try:
            entries = parse_catalogue(text, source=file)
        except CatalogueError as error:
            raise CommandError(f"refused, nothing written:\n{error}") from error
        result = library_catalogue_import(entries=entries, force=force)
        self.stdout.write(f"{file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
        if result.skipped:
            self.stdout.write(
                f"skipped, changed since they were imported (--force overwrites them): {', '.join(result.skipped)}"
            )
