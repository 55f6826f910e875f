from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide plumbing: the page cache, the health check, request and task logs."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import logs  # noqa: F401 - connects the task log to Celery's signals
