"""The Celery app, configured from Django settings under the CELERY_ namespace."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# `make run` waits for these marks before it prints the site's addresses (scripts/announce.py).
def _mark_ready(name: str) -> None:
    ready_dir = os.environ.get("READY_DIR")
    if ready_dir:
        Path(ready_dir).mkdir(parents=True, exist_ok=True)
        (Path(ready_dir) / name).touch()


worker_ready.connect(lambda **kwargs: _mark_ready("worker"), weak=False)
beat_init.connect(lambda **kwargs: _mark_ready("beat"), weak=False)
