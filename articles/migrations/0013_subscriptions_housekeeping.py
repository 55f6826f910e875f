"""The hourly housekeeping of "notify me" as a periodic task (it announces what a scheduled date brought out
and forgets addresses never confirmed), and the Editors' view of subscriptions."""

from django.db import migrations

from config.migration_permissions import permissions_for

TASK_NAME = "Notify subscribers, forget unconfirmed addresses"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "articles.tasks.subscriptions_housekeeping",
            "crontab": hourly,
            "description": "Emails the subscribers of parts whose date has come; removes addresses not "
            "confirmed within a week (hourly, at :05).",
        },
    )
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*permissions_for(apps, "articles", ["view_subscription", "delete_subscription"]))


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_subscriptions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
