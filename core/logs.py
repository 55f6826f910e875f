"""One log line per request (method, path, status, duration) and per task run (name, id, outcome, duration)."""

import logging
import time

from celery.signals import task_postrun, task_prerun

request_logger = logging.getLogger("site.requests")
task_logger = logging.getLogger("site.tasks")


class RequestLogMiddleware:
    """Outermost, so static files and cached pages are logged and timed like every other request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request_logger.isEnabledFor(logging.INFO):
            duration = (time.perf_counter() - started) * 1000
            request_logger.info("%s %s %s %.1fms", request.method, request.path, response.status_code, duration)
        return response


_task_started: dict[str, float] = {}


@task_prerun.connect
def _task_start(task_id=None, **kwargs) -> None:
    _task_started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_end(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _task_started.pop(task_id, None)
    duration = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    task_logger.info("task %s %s %s %.1fms", task.name, task_id, state, duration)
