"""python manage.py content_restore FILE: the content of a backup, in place of what this database holds."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import content_restore


class Command(BaseCommand):
    help = (
        "Replace this database's content with a backup made by content_backup (run `migrate` first). Everything "
        "the database holds now is replaced; a backup that cannot be read changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup made by content_backup")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the content")

    def handle(self, *args, file, yes, **options):
        path = Path(file)
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                f"{file} is not a backup this command can read ({error}); nothing was changed."
            ) from error
        if not yes and input("This replaces everything the database holds. Type yes to go on: ").strip() != "yes":
            raise CommandError("Nothing was changed.")
        try:
            content_restore(str(path))
        except Exception as error:
            raise CommandError(f"{file} could not be restored ({error}); nothing was changed.") from error
        self.stdout.write(f"Restored the site's content from {file}.")
