"""The refresh schedule: the one periodic task editors may change, and the crontab it has to itself."""

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

REFRESH_TASK = "libraries.tasks.refresh_all_libraries"
CRONTAB_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def refresh_schedule() -> PeriodicTask | None:
    return PeriodicTask.objects.filter(task=REFRESH_TASK).select_related("crontab").first()


@transaction.atomic
def refresh_schedule_crontab_set(*, task: PeriodicTask, **fields: str) -> CrontabSchedule:
    """Set when the refresh runs. Its crontab is its own: shared with another task, it is copied first, so
    moving the refresh never moves an operator's job."""
    crontab = task.crontab
    if crontab is None or PeriodicTask.objects.filter(crontab=crontab).exclude(pk=task.pk).exists():
        timezone = crontab.timezone if crontab is not None else "UTC"
        crontab = CrontabSchedule(timezone=timezone)
    for name in CRONTAB_FIELDS:
        setattr(crontab, name, fields[name])
    crontab.save()
    task.crontab, task.interval, task.solar, task.clocked = crontab, None, None, None
    task.description = refresh_schedule_description(crontab)
    task.save(update_fields=["crontab", "interval", "solar", "clocked", "description"])
    return crontab


def refresh_schedule_description(crontab: CrontabSchedule) -> str:
    """What the refresh does and when, as the schedule now says ("daily at 05:30 UTC")."""
    every_day = (crontab.day_of_month, crontab.month_of_year, crontab.day_of_week) == ("*", "*", "*")
    if every_day and crontab.minute.isdigit() and crontab.hour.isdigit():
        when = f"daily at {int(crontab.hour):02}:{int(crontab.minute):02} {crontab.timezone}"
    else:
        fields = " ".join(getattr(crontab, name) for name in CRONTAB_FIELDS)
        when = f"on the crontab “{fields}”, {crontab.timezone}"
    return f"Fetches every library's figures from GitHub and keeps a snapshot ({when})."
