"""python manage.py content_backup FILE: the site's content as one JSON file (see core/backups.py)."""

from django.core.management.base import BaseCommand

from core.backups import content_backup


class Command(BaseCommand):
    help = "Write the site's content (not sessions, sign-in attempts or what migrate makes) to FILE, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write it, e.g. backup-2026-12-08.json")

    def handle(self, *args, file, **options):
        content_backup(file)
        self.stdout.write(f"Backed up the site's content to {file}.")
