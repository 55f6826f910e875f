"""Fixtures for the comment tests: an open post, a moderator, a form a reader would send."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from articles.forms import comment_form_token
from tests.conftest import staff_in_group
from tests.factories import PostFactory


@pytest.fixture
def client():
    """A browser sending the site's own forms: it says where a request comes from, as every browser does."""
    return Client(headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})


@pytest.fixture
def post(db):
    return PostFactory(title="Top 13 Python Deep Learning Libraries", slug="top-13")


@pytest.fixture
def moderator(db, django_user_model):
    return staff_in_group(django_user_model, "moderator", "Moderators", email="moderator@example.org")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def form_data(post, **overrides) -> dict:
    """What a person's browser sends: the form shown a minute ago, the honeypot left empty."""
    data = {
        "author_name": "Ada",
        "author_email": "ada@example.org",
        "body": "Keras deserved a higher rank.",
        "parent": "",
        "subject": "",
        "token": comment_form_token(post, issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


def comment_url(post) -> str:
    return reverse("articles:post_comment", kwargs={"slug": post.slug})


def comments_section(response) -> str:
    """The page's <section id="comments">, where everything about comments is shown."""
    html = response.content.decode()
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def form_page(response) -> str:
    """The comment form's own page, where a refused comment comes back with what the reader typed."""
    html = response.content.decode()
    start = html.index('<article class="comment-page"')
    return html[start : html.index("</article>", start)]
