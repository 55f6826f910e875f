"""gunicorn's settings (`gunicorn -c config/gunicorn.py`): address and worker count from the environment."""

import os

wsgi_app = "config.wsgi:application"
bind = [f"{os.environ.get('WEB_HOST', '127.0.0.1')}:{os.environ.get('WEB_PORT', '8000')}"]
# Sync workers: one request at a time each, so as many as the machine has cores is a good start.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# The site writes one line per request itself (method, path, status, duration); gunicorn's would repeat it.
accesslog = None
errorlog = "-"
# Heartbeat files on a RAM disk where there is one: a slow disk must not make the arbiter kill workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
