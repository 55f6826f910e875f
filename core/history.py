"""Entries in the admin's history for what a command did, under an account of its own."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model

IMPORTER_USERNAME = "importer"


def command_change_record(*, obj, message: str) -> None:
    """Record that a command changed `obj`, as the inactive account "importer" (it cannot sign in)."""
    user, created = get_user_model().objects.get_or_create(username=IMPORTER_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[obj], action_flag=CHANGE, change_message=message, single_object=True
    )
