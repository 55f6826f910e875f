"""Signing in to the admin is throttled per username and address (django-axes)."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import staff_in_group

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-editor-password"


@pytest.fixture
def editor_account(django_user_model):
    return staff_in_group(django_user_model, "editor", "Editors")


def sign_in(client: Client, password: str, **headers):
    return client.post("/admin/login/", {"username": "editor", "password": password, "next": "/admin/"}, **headers)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_clear_message(editor_account):
    browser = Client()
    statuses = [sign_in(browser, "guessed-wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form again with its error, then the lock

    locked = sign_in(browser, PASSWORD)

    assert locked.status_code == 429
    assert "Too many wrong passwords for this username from your address" in locked.content.decode()
    assert "locked for 15 minutes." in locked.content.decode()  # in words, not PT15M
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize("next_address", ["https://elsewhere.example/", "//elsewhere.example/x", ""])
def test_a_sign_in_sent_on_to_another_site_lands_on_the_admin(editor_account, next_address):
    signed_in = Client().post(
        "/admin/login/", {"username": "editor", "password": PASSWORD, "next": next_address}, follow=True
    )
    assert signed_in.status_code == 200 and signed_in.redirect_chain[-1][0] == "/admin/"


def test_the_feeds_stylesheet_is_served_as_xslt(client):
    from django.templatetags.static import static

    assert client.get(static("feeds/feed.xsl"))["Content-Type"].startswith("text/xsl")


def test_an_administrator_unlocks_a_username(editor_account):
    browser = Client()
    for _ in range(5):
        sign_in(browser, "guessed-wrong")

    call_command("axes_reset_username", "editor", stdout=io.StringIO())

    assert sign_in(browser, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_address_is_counted_apart(editor_account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    editor = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    for _ in range(5):
        sign_in(Client(), "guessed-wrong", **attacker)

    assert sign_in(Client(), PASSWORD, **attacker).status_code == 429
    assert sign_in(Client(), PASSWORD, **editor).status_code == 302
