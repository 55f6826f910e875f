"""Editors may see and change the refresh schedule (django-celery-beat's tasks and schedules)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SCHEDULE_PERMISSIONS = [
    "view_periodictask",
    "change_periodictask",
    "view_crontabschedule",
    "change_crontabschedule",
    "view_intervalschedule",
    "change_intervalschedule",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    permissions = Permission.objects.filter(
        content_type__app_label="django_celery_beat", codename__in=SCHEDULE_PERMISSIONS
    )
    editors.permissions.add(*permissions)


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
