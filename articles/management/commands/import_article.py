"""python manage.py import_article FILE.md [FILE.md …]"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.importing import ChangedSinceImport, article_import
from articles.parsing import ArticleFormatError, parse_article_file


class Command(BaseCommand):
    help = (
        "Import posts of the series from Jekyll Markdown files. Each file is one transaction: "
        "a malformed file is refused whole, naming the file and line; the others still import. A post changed "
        "in the admin since it was imported is skipped (and said so), unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.md")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite posts changed since they were imported (recorded in each post's admin history).",
        )

    def handle(self, *args, files, force, **options):
        failures = 0
        for path in files:
            try:
                post = article_import(article=parse_article_file(path), force=force)
            except ChangedSinceImport as skipped:
                self.stdout.write(f"skipped {path}: {skipped}; nothing written (--force overwrites it)")
                continue
            except ArticleFormatError as error:
                failures += 1
                self.stderr.write(f"refused {error}")
                continue
            except DatabaseError as error:
                failures += 1
                self.stderr.write(f"refused {path}: the database refused it ({error})")
                continue
            entries = post.entries.count()
            self.stdout.write(f"imported {path}: {post.title} ({post.get_status_display()}, {entries} entries)")
        if failures:
            raise CommandError(f"{failures} of {len(files)} file(s) refused; nothing of them was written.")
