"""python manage.py import_libraries FILE.yaml"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from libraries.catalogue import library_catalogue_import
from libraries.catalogue_file import CatalogueError, parse_catalogue_file


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
            entries = parse_catalogue_file(file)
        except CatalogueError as error:
            for problem in error.problems:
                self.stderr.write(f"refused {problem}")
            raise CommandError(f"{file} refused: nothing written.") from error
        try:
            result = library_catalogue_import(entries=entries, force=force)
        except DatabaseError as error:
            raise CommandError(f"{file} refused: the database refused it ({error}); nothing written.") from error
        self.stdout.write(f"{file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
        if result.skipped:
            self.stdout.write(
                f"skipped, changed since they were imported (--force overwrites them): {', '.join(result.skipped)}"
            )
