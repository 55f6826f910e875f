"""What `make run` says once the site is up: its addresses and how to get an account, after the web server,
the worker and beat have started, so that it is the last thing on the screen rather than lost above them."""

import os
import sys
import time
import urllib.request
from pathlib import Path

# Names the Celery processes touch in READY_DIR when they are up (config/celery_app.py).
READY_NAMES = ("worker", "beat")


def banner(site_url: str, bin_dir: str) -> str:
    python = f"{bin_dir}/python manage.py"
    return "\n".join(
        [
            "",
            f"  The site:   {site_url}/",
            f"  The admin:  {site_url}/admin/",
            f"  An account for the admin: {python} create_editor USERNAME   (an editor: posts, libraries, comments)",
            f"                        or: {python} createsuperuser          (every permission)",
            "  Ctrl-C stops the web server, the worker and beat.",
            "",
        ]
    )


def site_answers(site_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{site_url}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def announce_when_up(site_url: str, ready_dir: Path, bin_dir: str, *, wait_seconds: float = 180) -> None:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        celery_up = all((ready_dir / name).exists() for name in READY_NAMES)
        if celery_up and site_answers(site_url):
            print(banner(site_url, bin_dir), flush=True)
            return
        time.sleep(0.5)
    print(
        f"\n  The site has not come up at {site_url} within {wait_seconds:.0f} s: the lines above say why.\n",
        file=sys.stderr,
        flush=True,
    )


def ready_dir_prepare() -> Path:
    """An empty READY_DIR, so that a mark left by an earlier run says nothing about this one."""
    ready_dir = Path(os.environ.setdefault("READY_DIR", "var/run"))  # the Celery processes read it too
    ready_dir.mkdir(parents=True, exist_ok=True)
    for name in READY_NAMES:
        (ready_dir / name).unlink(missing_ok=True)
    return ready_dir
