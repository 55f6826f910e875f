"""Editors may see and change the refresh schedule (django-celery-beat's tasks and schedules)."""

from django.db import migrations

from config.migration_permissions import permissions_for

SCHEDULE_PERMISSIONS = [
    "view_periodictask",
    "change_periodictask",
    "view_crontabschedule",
    "change_crontabschedule",
    "view_intervalschedule",
    "change_intervalschedule",
]


def grant(apps, schema_editor):
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions_for(apps, "django_celery_beat", SCHEDULE_PERMISSIONS))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="django_celery_beat", codename__in=SCHEDULE_PERMISSIONS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("libraries", "0003_refresh_schedule"),
        ("articles", "0002_editors_group"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
