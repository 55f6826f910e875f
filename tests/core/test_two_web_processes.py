"""Two web processes (gunicorn, production settings) sharing one PostgreSQL and one Redis, as two web hosts
behind a proxy would: an edit made through one is never served stale by the other."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings

from tests.admin_forms import admin_form_data

ROOT = Path(__file__).resolve().parent.parent.parent
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"

pytestmark = pytest.mark.skipif(
    not (
        os.environ.get("CACHE_URL", "").startswith("redis://")
        and settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    ),
    reason="needs PostgreSQL and Redis: set DATABASE_URL=postgres://… and CACHE_URL=redis://… (CI's second run does)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A scratch database, filled as `make serve` fills it, and the environment of production settings."""
    database = settings.DATABASES["default"]
    name = f"tpl_two_processes_{os.getpid()}"
    server = {
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"],
        "port": database["PORT"],
    }
    server = {key: value for key, value in server.items() if value}
    credentials = f"{database['USER']}:{database['PASSWORD']}@" if database["PASSWORD"] else f"{database['USER']}@"
    folder = tmp_path_factory.mktemp("two-processes")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{credentials}{database['HOST']}:{database['PORT']}/{name}",
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "CELERY_BROKER_URL": "memory://",
        "TRUSTED_PROXY_COUNT": "0",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_ROOT": str(folder / "static"),
        "DJANGO_SUPERUSER_PASSWORD": "a-long-editor-password",
        "WEB_CONCURRENCY": "1",
    }

    def manage(*arguments):
        subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True, capture_output=True
        )

    for step in (
        ["ensure_database"],
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["import_shipped_content"],
        ["createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org"],
    ):
        manage(*step)
    manage("shell", "-c", "from django.core.cache import cache; cache.clear()")
    yield environment
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


class WebProcess:
    def __init__(self, environment: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
            cwd=ROOT,
            env={**environment, "WEB_PORT": str(self.port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                requests.get(self.url + "/healthz", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def read(self, path: str) -> requests.Response:
        """A new reader, with no cookie."""
        response = requests.get(self.url + path, timeout=10)
        assert response.status_code == 200
        return response

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


class Editor:
    """A browser signed in to the admin of one web process (cookies kept by hand: they are Secure ones)."""

    def __init__(self, web: WebProcess):
        self.web, self.cookies = web, {}
        page = self.get("/admin/login/")
        self.post("/admin/login/", {"username": "editor", "password": "a-long-editor-password", **self.csrf(page)})
        assert "sessionid" in self.cookies

    def request(self, method: str, path: str, **options) -> requests.Response:
        headers = {"Origin": self.web.url, "Referer": self.web.url + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, self.web.url + path, headers=headers, allow_redirects=False, timeout=10, **options
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        assert response.status_code in (200, 302), (response.status_code, response.text[:2000])
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post(self, path: str, data) -> requests.Response:
        return self.request("POST", path, data=data)

    @staticmethod
    def csrf(page: requests.Response) -> dict:
        return {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]}

    def change(self, path: str, form_id: str, **changes):
        page = self.get(path)
        self.post(path, admin_form_data(page.text, form_id, **changes))


@pytest.fixture(scope="module")
def web_processes(site):
    first, second = WebProcess(site), WebProcess(site)
    yield first, second
    first.stop()
    second.stop()


def post_admin_path(editor: Editor, title: str) -> str:
    changelist = editor.get(f"/admin/articles/post/?q={title.replace(' ', '+')}")
    return re.search(r'href="(/admin/articles/post/\d+/change/)[^"]*"', changelist.text)[1]


def test_an_edit_through_one_process_is_never_served_stale_by_the_other(web_processes):
    first, second = web_processes
    for web in (first, second):
        web.read(TOP_13)
        assert web.read(TOP_13).headers["X-Page-Cache"] == "hit"  # each holds the page, in Redis and in memory
        web.read("/")

    editor = Editor(first)
    path = post_admin_path(editor, "Top 13 Python Deep Learning Libraries")
    # A live post: its changes are saved as a draft, and published with this button.
    editor.change(path, "post_form", title="Top 13 Deep Learning Libraries, revised", _publish_now="1")

    for web in (second, first):
        assert "Top 13 Deep Learning Libraries, revised" in web.read(TOP_13).text
        assert "Top 13 Deep Learning Libraries, revised" in web.read("/").text

    # And the other way round: an edit through the second process, read through the first.
    Editor(second).change(path, "post_form", subtitle="Updated through the second process", _publish_now="1")
    assert "Updated through the second process" in first.read(TOP_13).text


def test_a_comment_approved_through_one_process_shows_on_the_other(web_processes, site):
    first, second = web_processes
    reader = requests.Session()
    form_page = reader.get(second.url + TOP_13 + "comment/", timeout=10)
    token = re.search(r'name="token" value="([^"]+)"', form_page.text)[1]
    time.sleep(3.2)  # a person takes longer than the time trap (COMMENT_MIN_SECONDS)
    sent = reader.post(
        second.url + TOP_13 + "comment/",
        data={
            "author_name": "Grace",
            "author_email": "grace@example.org",
            "body": "Two hosts, one page.",
            "token": token,
        },
        headers={"Origin": second.url, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
        timeout=10,
    )
    assert sent.status_code == 302
    before = first.read(TOP_13)
    assert "Two hosts, one page." not in before.text

    editor = Editor(second)
    changelist = editor.get("/admin/articles/comment/")
    comment_id = re.search(r'name="_selected_action" value="(\d+)"', changelist.text)[1]
    editor.post(
        "/admin/articles/comment/", {"action": "approve", "_selected_action": comment_id, **editor.csrf(changelist)}
    )

    assert "Two hosts, one page." in first.read(TOP_13).text
