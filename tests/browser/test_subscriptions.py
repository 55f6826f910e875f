"""Notify me in Chromium: a reader subscribes on a coming part's page, confirms from the email's link; an editor
publishes the part in the admin; the reader's email holds its link."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from config.celery_app import app as celery_app
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PART = "top-x-python-reinforcement-learning-and-evolutionary-computation-libraries"


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True  # the live server's thread runs the tasks it enqueues
    yield
    celery_app.conf.task_always_eager = False


def test_reader_subscribes_confirms_and_hears_when_the_editor_publishes(
    page, live_server, imported_series, admin_user, eager, browser
):
    if page.width_name != "phone":
        pytest.skip("one width is enough for the flow; the page itself is checked at both in test_pages")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Top X Python Reinforcement Learning and evolutionary computation Libraries").click()
    page.get_by_label("Your email").fill("reader@example.org")
    screenshot(page, "coming-soon")
    page.get_by_role("button", name="Notify me").click()
    assert "an email is on its way" in page.inner_text("main")

    confirmation = mail.outbox[-1]
    confirm_path = re.search(r"http://127\.0\.0\.1:8000(\S+)", confirmation.body).group(1)
    page.goto(live_server.url + confirm_path)
    page.get_by_role("button", name="Confirm").click()
    assert "Confirmed" in page.inner_text("main")

    editor = browser.new_context().new_page()
    editor.goto(live_server.url + "/admin/login/")
    editor.fill("#id_username", admin_user.username)
    editor.fill("#id_password", "password")
    editor.click("input[type=submit]")
    editor.goto(live_server.url + "/admin/articles/post/?status__exact=coming_soon")
    editor.get_by_role(
        "link", name="Top X Python Reinforcement Learning and evolutionary computation Libraries"
    ).click()
    editor.select_option("#id_status", "published")
    editor.fill("#id_published_on", timezone.localdate().isoformat())
    editor.click("input[name=_save]")
    editor.locator(".messagelist .success").wait_for()
    editor.context.close()

    announcement = mail.outbox[-1]
    assert announcement.to == ["reader@example.org"] and announcement.subject.startswith("Out now:")
    assert f"http://127.0.0.1:8000/posts/{PART}/" in announcement.body
    assert len([m for m in mail.outbox if m.subject.startswith("Out now:")]) == 1
