"""python manage.py import_libraries FILE.yaml"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from libraries.services import CatalogueError, library_catalogue_import, parse_catalogue


class Command(BaseCommand):
    help = "Load the library catalogue (name, aliases, repository). Re-running updates, never duplicates."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.yaml")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file ({error})") from error
        try:
            entries = parse_catalogue(text, source=file)
        except CatalogueError as error:
            raise CommandError(f"refused, nothing written:\n{error}") from error
        result = library_catalogue_import(entries=entries)
        self.stdout.write(f"{file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
