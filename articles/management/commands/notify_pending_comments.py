"""python manage.py notify_pending_comments: email moderators about comments whose email was never sent (the
hourly periodic task does the same; this sends at once, without Celery)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from articles.comments import comments_notify_pending


class Command(BaseCommand):
    help = (
        "Email moderators about pending comments not notified yet (the broker or the mail server was down). "
        "Sends directly, without Celery."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="Only comments at least this old, so emails the worker is still sending are not doubled "
            "(default: 10).",
        )

    def handle(self, *args, older_than, **options):
        result = comments_notify_pending(older_than=datetime.timedelta(minutes=older_than))
        self.stdout.write(f"Moderators notified about {result.sent} comment(s).")
        if result.unsent:
            self.stderr.write(f"{result.unsent} comment(s) not notified: no moderator has an email address.")
        if result.failed:
            raise CommandError(f"{result.failed} comment(s) could not be notified and stay pending; see the log.")
