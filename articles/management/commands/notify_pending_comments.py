"""python manage.py notify_pending_comments: email moderators about comments whose email was never sent."""

import datetime
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.comments import comment_notify_moderators
from articles.models import Comment

logger = logging.getLogger(__name__)


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
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        comments = Comment.objects.awaiting_notification().filter(created_at__lte=cutoff).select_related("post")
        sent = failed = unsent = 0
        for comment in comments:
            try:
                emailed = comment_notify_moderators(comment=comment)
            except OSError:
                logger.exception("Emailing moderators about comment %s failed; it stays pending.", comment.pk)
                failed += 1
            else:
                sent, unsent = (sent + 1, unsent) if emailed else (sent, unsent + 1)
        self.stdout.write(f"Moderators notified about {sent} comment(s).")
        if unsent:
            self.stderr.write(f"{unsent} comment(s) not notified: no moderator has an email address.")
        if failed:
            raise CommandError(f"{failed} comment(s) could not be notified and stay pending; see the log.")
