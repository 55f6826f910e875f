"""The refresh schedule in the admin: editors may switch it on or off and change its crontab, nothing else."""

from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin, PeriodicTaskForm
from django_celery_beat.models import PeriodicTask

REFRESH_TASK = "libraries.tasks.refresh_all_libraries"

# Which task runs, with what, where and how often other than by its crontab: superusers only.
# An editor who could set these could run any registered task with any arguments, every second.
SUPERUSER_ONLY_FIELDS = [
    "name", "regtask", "task", "args", "kwargs", "queue", "exchange", "routing_key", "headers", "priority",
    "expires", "expire_seconds", "one_off", "start_time", "interval", "clocked", "solar", "description",
]  # fmt: skip


class ScheduleForm(PeriodicTaskForm):
    def clean(self):
        if "task" not in self.fields:  # read-only for this user: the task stays the one it is
            self.cleaned_data["task"] = self.instance.task
        return super().clean()


class ScheduleAdmin(PeriodicTaskAdmin):
    form = ScheduleForm

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + SUPERUSER_ONLY_FIELDS

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # The registered-task picker is a form field, not the model's: read-only, it has nothing to show.
        return [
            (title, {**options, "fields": [name for name in options["fields"] if name != "regtask"]})
            for title, options in fieldsets
        ]

    def get_queryset(self, request):
        schedules = super().get_queryset(request)
        if request.user.is_superuser:
            return schedules
        return schedules.filter(task=REFRESH_TASK)  # editors see the refresh schedule, not other jobs

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("run_tasks", None)  # running a job now is an operator's call
        return actions

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, ScheduleAdmin)
