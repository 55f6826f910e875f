"""The site's content as one file and back: everything editors, readers and the refresh made (posts, libraries,
figures, comments, subscriptions, revisions, accounts and groups, schedules), in Django's JSON with natural keys,
restored into a migrated database in place of what it holds. Sessions, sign-in attempts, content types and
permissions are not content: the database makes them again."""

from django.core.management import call_command
from django.db import connection, transaction

# Made again by `migrate` (content types, permissions), or of no worth in another database (sessions, sign-ins,
# beat's marker of a changed schedule, which loading the schedules sets anew).
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "django_celery_beat.periodictasks"]


def content_backup(path: str) -> None:
    call_command(
        "dumpdata",
        exclude=LEFT_OUT,
        natural_foreign=True,
        natural_primary=False,
        indent=None,
        output=path,
        verbosity=0,
    )


@transaction.atomic
def content_restore(path: str) -> None:
    """Replace what the database holds with the backup (rows the migrations made, such as the Editors group and
    the periodic tasks, are the backup's own). One transaction: a backup that cannot be read changes nothing."""
    _constraints("IMMEDIATE")  # checks still deferred in this transaction would forbid the flush's TRUNCATE
    call_command("flush", interactive=False, verbosity=0)
    _constraints("DEFERRED")  # rows load in any order; their references are checked at commit
    call_command("loaddata", path, verbosity=0)


def _constraints(when: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {when}")
