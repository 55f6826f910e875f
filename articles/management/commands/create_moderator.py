"""python manage.py create_moderator USERNAME: a staff account in the Moderators group, not a superuser."""

from articles.management.commands import create_editor


class Command(create_editor.Command):
    help = "Create (or promote) a moderator: staff, in the Moderators group; moderates comments and nothing else."
    group_name = "Moderators"
    role = "Moderator"
