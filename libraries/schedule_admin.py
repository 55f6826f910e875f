"""The periodic tasks in the admin: superusers have django-celery-beat's admin as it is; editors see one task,
the refresh, and may switch it on or off and say when it runs, nothing else."""

from django import forms
from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from libraries.schedule import CRONTAB_FIELDS, REFRESH_TASK, refresh_schedule_crontab_set


class RefreshScheduleForm(forms.ModelForm):
    """When the refresh runs, as the five crontab fields (checked by django-celery-beat's validators)."""

    class Meta:
        model = PeriodicTask
        fields = ["enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crontab = self.instance.crontab or CrontabSchedule()
        timing = forms.models.fields_for_model(CrontabSchedule, fields=CRONTAB_FIELDS)
        for name in CRONTAB_FIELDS:
            self.fields[name] = timing[name]
            self.fields[name].validators += CrontabSchedule._meta.get_field(name).validators
            self.initial[name] = getattr(crontab, name)

    def crontab_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in CRONTAB_FIELDS}


class ScheduleAdmin(PeriodicTaskAdmin):
    def get_queryset(self, request):
        schedules = super().get_queryset(request)
        if request.user.is_superuser:
            return schedules
        return schedules.filter(task=REFRESH_TASK)  # editors see the refresh schedule, not other jobs

    def get_form(self, request, obj=None, change=False, **kwargs):
        if request.user.is_superuser:
            return super().get_form(request, obj, change, **kwargs)
        return RefreshScheduleForm

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": ["name", "task", "description", "enabled"]}),
            ("When it runs (a crontab, in UTC)", {"fields": list(CRONTAB_FIELDS)}),
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(form, RefreshScheduleForm):
            refresh_schedule_crontab_set(task=obj, **form.crontab_fields())

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["name", "task", "description"]

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
