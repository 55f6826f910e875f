"""Notify me, end to end with real emails in the test outbox: subscribe, confirm, publish, exactly one email per
confirmed address however often the task runs, one-click unsubscribe, unconfirmed addresses purged."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from articles.models import Post, Subscription
from articles.tasks import announce_post, subscriptions_housekeeping
from config.celery_app import app as celery_app

pytestmark = pytest.mark.django_db
PART = "top-x-python-reinforcement-learning-and-evolutionary-computation-libraries"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def eager():
    """Tasks run where they are enqueued (a real worker runs them in the browser test and in CI's worker test)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def subscribe(client, imported_series, eager, django_capture_on_commit_callbacks):
    def send(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/coming/{PART}/subscribe/", {"email": email, **extra}, **SAME_SITE)

    return send


def link(message, kind):
    return re.search(rf"http://127\.0\.0\.1:8000(/subscriptions/{kind}/[^/\s]+/)", message.body).group(1)


def confirm(client, message):
    url = link(message, "confirm")
    assert "Get one email at" in client.get(url).content.decode()
    assert "Confirmed" in client.post(url).content.decode()


def publish(django_capture_on_commit_callbacks, published_on=None):
    part = Post.objects.get(slug=PART)
    part.status, part.published_on = Post.Status.PUBLISHED, published_on or timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        part.save()
    return part


def test_the_coming_part_has_a_page_with_the_form(client, imported_series):
    html = client.get(f"/coming/{PART}/").content.decode()
    assert "Coming soon" in html and 'name="email"' in html and "Notify me" in html
    assert client.get("/coming/top-13-python-deep-learning-libraries/").status_code == 404


def test_subscribe_confirm_publish_one_email_each_then_unsubscribe(
    client, subscribe, django_capture_on_commit_callbacks
):
    assert "an email is on its way" in subscribe("Ada@Example.org").content.decode()
    subscribe("never-confirms@example.org")
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["ada@example.org"]
    confirm(client, mail.outbox[0])
    mail.outbox.clear()

    part = publish(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]  # the unconfirmed address gets nothing
    announcement = mail.outbox[0]
    assert part.get_absolute_url() in announcement.body and announcement.subject.startswith("Out now:")
    unsubscribe = link(announcement, "unsubscribe")
    assert announcement.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert announcement.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    announce_post.apply(args=(part.pk,))  # a retry
    with django_capture_on_commit_callbacks(execute=True):
        part.save()  # a second save
    subscriptions_housekeeping.apply()  # the hourly run
    assert len(mail.outbox) == 1

    # A mail client's one-click POST: another site, no CSRF token, the signed link is the credential.
    response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 200 and not Subscription.objects.filter(email="ada@example.org").exists()


def test_the_answer_never_says_whether_an_address_is_known(client, subscribe):
    first = subscribe("ada@example.org").content.decode()
    confirm(client, mail.outbox[0])
    again = subscribe("ada@example.org").content.decode()
    assert first == again and len(mail.outbox) == 1  # a confirmed address is sent nothing new
    subscribe("bob@example.org")
    subscribe("bob@example.org")  # asking again the same day sends no second confirmation
    assert len(mail.outbox) == 2


def test_a_series_subscriber_hears_of_the_part_and_an_address_subscribed_twice_hears_once(
    client, subscribe, django_capture_on_commit_callbacks
):
    subscribe("ada@example.org", whole_series="on")
    subscribe("ada@example.org")
    for message in list(mail.outbox):
        confirm(client, message)
    assert Subscription.objects.filter(series__isnull=False, confirmed_at__isnull=False).count() == 1
    mail.outbox.clear()
    publish(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_a_scheduled_part_is_announced_when_its_date_comes(client, subscribe, django_capture_on_commit_callbacks):
    subscribe("ada@example.org")
    confirm(client, mail.outbox[0])
    mail.outbox.clear()
    publish(django_capture_on_commit_callbacks, published_on=timezone.localdate() + datetime.timedelta(days=2))
    subscriptions_housekeeping.apply()
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, hours=1)):
        subscriptions_housekeeping.apply()
    assert len(mail.outbox) == 1


def test_links_that_were_changed_or_are_too_old_do_nothing(client, subscribe):
    subscribe("ada@example.org")
    url = link(mail.outbox[0], "confirm")
    assert client.post(url[:-3] + "xx/").status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert client.post(url).status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_unconfirmed_addresses_are_purged_after_a_week(client, subscribe):
    subscribe("ada@example.org")
    subscribe("bob@example.org")
    confirm(client, mail.outbox[1])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        subscriptions_housekeeping.apply()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_the_form_has_the_comment_forms_defences(client, subscribe):
    assert "an email is on its way" in subscribe("bot@example.org", subject="buy now").content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []  # the honeypot: answered, nothing done
    cross_site = client.post(f"/coming/{PART}/subscribe/", {"email": "a@example.org"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert cross_site.status_code == 403
    assert subscribe("not an address").status_code == 400
    statuses = [subscribe(f"reader{n}@example.org").status_code for n in range(12)]
    assert statuses.count(429) >= 1


def test_addresses_are_only_for_those_given_them(client, editor_client, subscribe, django_user_model):
    from tests.conftest import staff_in_group

    subscribe("ada@example.org")
    assert editor_client.get("/admin/articles/subscription/").status_code == 403
    assert "ada@example.org" not in editor_client.get("/admin/").content.decode()
    client.force_login(staff_in_group(django_user_model, "mod", "Moderators"))
    assert client.get("/admin/articles/subscription/").status_code == 403
    client.force_login(staff_in_group(django_user_model, "list-keeper", "Subscriber addresses"))
    assert "ada@example.org" in client.get("/admin/articles/subscription/").content.decode()
