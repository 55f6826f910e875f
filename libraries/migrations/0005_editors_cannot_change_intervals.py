"""Editors keep seeing interval schedules but no longer change them: the refresh runs on a crontab."""

from django.db import migrations

REVOKED = ["change_intervalschedule"]


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="django_celery_beat", codename__in=REVOKED
    )


def revoke(apps, schema_editor):
    for editors in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        editors.permissions.remove(*permissions(apps))


def grant(apps, schema_editor):
    for editors in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        editors.permissions.add(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("libraries", "0004_editors_schedule_permissions")]

    operations = [migrations.RunPython(revoke, grant)]
