"""The refresh gets a crontab of its own; editors change it through the refresh schedule's page and no
longer see or change crontabs and intervals, which operators' jobs share."""

from django.db import migrations

REVOKED = ["view_crontabschedule", "change_crontabschedule", "view_intervalschedule", "change_intervalschedule"]
REFRESH_TASK = "libraries.tasks.refresh_all_libraries"


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="django_celery_beat", codename__in=REVOKED
    )


def separate(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task in PeriodicTask.objects.filter(task=REFRESH_TASK).exclude(crontab=None):
        crontab = task.crontab
        if PeriodicTask.objects.filter(crontab=crontab).exclude(pk=task.pk).exists():
            crontab.pk = None
            crontab.save()
            task.crontab = crontab
            task.save(update_fields=["crontab"])
    for editors in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        editors.permissions.remove(*permissions(apps))


def restore_permissions(apps, schema_editor):
    for editors in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        editors.permissions.add(*permissions(apps).exclude(codename="change_intervalschedule"))


class Migration(migrations.Migration):
    dependencies = [("libraries", "0007_imported_hash")]

    operations = [migrations.RunPython(separate, restore_permissions)]
