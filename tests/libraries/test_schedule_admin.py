"""The refresh schedule in the admin: editors switch it and say when it runs; which task runs, and every other
job and schedule, is not theirs."""

import json

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

pytestmark = pytest.mark.django_db

DAILY = "libraries.tasks.refresh_all_libraries"


@pytest.fixture
def schedule():
    return PeriodicTask.objects.get(task=DAILY)


@pytest.fixture
def every_second():
    return IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)


def change_url(task):
    return reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])


def everything_changed(crontab, interval):
    """What a form that let every field through would accept: another task, arguments, a 1-second interval."""
    return {
        "name": "Something else",
        "regtask": "libraries.tasks.refresh_library",
        "task": "libraries.tasks.refresh_library",
        "enabled": "",  # unticked
        "description": "changed",
        "interval": str(interval.pk),
        "crontab": str(crontab.pk),
        "solar": "",
        "clocked": "",
        "start_time_0": "",
        "start_time_1": "",
        "one_off": "",
        "args": json.dumps([1, "run"]),
        "kwargs": json.dumps({"run_id": "x"}),
        "expires_0": "",
        "expires_1": "",
        "expire_seconds": "",
        "queue": "elsewhere",
        "exchange": "",
        "routing_key": "",
        "priority": "",
        "headers": "{}",
        "_save": "Save",
    }


WEEKLY = {"minute": "30", "hour": "5", "day_of_month": "*", "month_of_year": "*", "day_of_week": "1"}


def test_an_editor_switches_the_schedule_off_and_moves_it_but_cannot_repoint_it(editor_client, schedule, every_second):
    weekly = CrontabSchedule.objects.create(minute="30", hour="5", day_of_week="1", timezone="UTC")
    response = editor_client.post(change_url(schedule), {**everything_changed(weekly, every_second), **WEEKLY})
    assert response.status_code == 302, response.context["adminform"].form.errors
    schedule.refresh_from_db()
    assert not schedule.enabled  # what an editor may change
    crontab = schedule.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("30", "5", "1") and crontab != weekly
    assert schedule.name == "Refresh GitHub figures" and schedule.task == DAILY
    assert (schedule.args, schedule.kwargs, schedule.queue) == ("[]", "{}", None)
    assert schedule.interval is None and "Fetches every library" in schedule.description
    assert "on the crontab “30 5 * * 1”, UTC" in schedule.description  # what it now says, not the old time


def test_moving_the_refresh_never_moves_a_job_that_shared_its_crontab(editor_client, schedule):
    operators_job = PeriodicTask.objects.create(
        name="Operators' job", task="articles.tasks.notify_moderators", crontab=schedule.crontab
    )

    response = editor_client.post(change_url(schedule), {**WEEKLY, "enabled": "on", "_save": "Save"})

    assert response.status_code == 302
    schedule.refresh_from_db()
    operators_job.refresh_from_db()
    assert (schedule.crontab.minute, schedule.crontab.hour) == ("30", "5")
    assert (operators_job.crontab.minute, operators_job.crontab.hour) == ("0", "4")
    daily = editor_client.post(change_url(schedule), {**WEEKLY, "day_of_week": "*", "enabled": "on", "_save": "Save"})
    assert daily.status_code == 302
    schedule.refresh_from_db()
    assert schedule.description.endswith("(daily at 05:30 UTC).")
    assert "(daily at 05:30 UTC)." in editor_client.get(change_url(schedule)).content.decode()
    assert schedule.crontab != operators_job.crontab


def test_a_crontab_an_editor_gets_wrong_is_refused_with_the_reason(editor_client, schedule):
    response = editor_client.post(change_url(schedule), {**WEEKLY, "hour": "25", "enabled": "on", "_save": "Save"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hour"]
    schedule.refresh_from_db()
    assert schedule.crontab.hour == "4"


def test_the_change_page_shows_an_editor_the_task_without_a_way_to_change_it(editor_client, schedule):
    text = editor_client.get(change_url(schedule)).content.decode()
    assert DAILY in text and 'name="enabled"' in text and 'name="hour" value="4"' in text
    for name in ("name", "regtask", "task", "args", "kwargs", "interval", "crontab", "queue"):
        assert f'name="{name}"' not in text


def test_editors_see_no_crontab_or_interval_schedules(editor, editor_client, every_second):
    for model in ("crontabschedule", "intervalschedule"):
        assert not editor.has_perm(f"django_celery_beat.view_{model}")
        assert editor_client.get(reverse(f"admin:django_celery_beat_{model}_changelist")).status_code == 403
    url = reverse("admin:django_celery_beat_intervalschedule_change", args=[every_second.pk])
    assert editor_client.post(url, {"every": "5", "period": "minutes", "_save": "Save"}).status_code == 403
    every_second.refresh_from_db()
    assert every_second.every == 1
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Crontabs" not in index and "Intervals" not in index


def test_editors_cannot_add_or_delete_periodic_tasks_even_when_granted(editor, client, schedule):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(*Permission.objects.filter(codename__in=["add_periodictask", "delete_periodictask"]))
    client.force_login(editor)
    assert client.get(reverse("admin:django_celery_beat_periodictask_add")).status_code == 403
    delete = reverse("admin:django_celery_beat_periodictask_delete", args=[schedule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PeriodicTask.objects.filter(pk=schedule.pk).exists()


def test_a_superuser_can_still_change_the_task(admin_client, schedule):
    daily = schedule.crontab
    data = everything_changed(daily, IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS))
    data.update(interval="", enabled="on", queue="", regtask="", task="libraries.tasks.refresh_library")
    response = admin_client.post(change_url(schedule), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    schedule.refresh_from_db()
    assert schedule.name == "Something else" and schedule.task == "libraries.tasks.refresh_library"
    assert json.loads(schedule.args) == [1, "run"] and schedule.crontab == daily
    assert admin_client.get(reverse("admin:django_celery_beat_periodictask_add")).status_code == 200


def test_editors_see_only_the_refresh_schedule_and_cannot_run_jobs_now(editor_client, schedule):
    other = PeriodicTask.objects.create(
        name="Someone else's job",
        task="articles.tasks.notify_moderators",
        interval=IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS),
    )
    listing = editor_client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    assert schedule.name in listing and other.name not in listing
    assert 'value="run_tasks"' not in listing and 'value="disable_tasks"' in listing
    assert editor_client.get(change_url(other)).status_code in (302, 404)
