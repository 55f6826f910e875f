"""Comments never announced to moderators (no moderator had an address, the mail server was down) are emailed by
an hourly periodic task, not only by an operator's `manage.py notify_pending_comments`."""

from django.db import migrations

TASK_NAME = "Email moderators about comments not announced yet"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "articles.tasks.notify_pending_comments",
            "crontab": hourly,
            "description": "Emails moderators about pending comments whose email was never sent (hourly, at :15).",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_publish_due_drafts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
