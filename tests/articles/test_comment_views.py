"""The comment form's POST, as a reader and a bot would use it."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from articles.forms import comment_form_token
from articles.models import Comment, Post
from articles.views import client_ip
from tests.articles.conftest import comment_url, comments_section, form_data
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

CONFIRMATION = "your comment awaits moderation"
DAY = 24 * 60 * 60


def test_a_comment_is_confirmed_after_a_redirect_and_waits_unseen(client, post):
    response = client.post(comment_url(post), form_data(post), follow=True)

    assert response.redirect_chain == [(f"{post.get_absolute_url()}#comments", 302)]
    section = comments_section(response)
    assert CONFIRMATION in section
    assert "Keras deserved a higher rank." not in section
    comment = Comment.objects.get()
    assert (comment.status, comment.author_name, comment.ip_address) == ("pending", "Ada", "127.0.0.1")

    other_reader = Client().get(post.get_absolute_url())
    assert CONFIRMATION not in comments_section(other_reader)
    assert "Keras deserved" not in other_reader.content.decode()


def test_a_100_kb_body_is_refused_with_a_clear_error_and_kept_in_the_form(client, post):
    body = "word " * 20480

    response = client.post(comment_url(post), form_data(post, body=body))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Comments are limited to 5,000 characters; yours has 102399." in html
    assert body.strip() in html
    assert not Comment.objects.exists()


def test_a_body_of_thousands_of_brackets_is_refused_with_a_clear_error_and_kept(client, post):
    body = "[" * 5000

    response = client.post(comment_url(post), form_data(post, body=body))

    assert response.status_code == 400
    html = comments_section(response)
    assert "Comments may contain at most 100 square brackets “[”; yours has 5000." in html
    assert f"{body}</textarea>" in html
    assert not Comment.objects.exists()


def test_a_hundred_brackets_are_fine(client, post):
    body = "[x](https://example.org)" + " [1]" * 99

    assert client.post(comment_url(post), form_data(post, body=body)).status_code == 302
    assert Comment.objects.get().body == body


def test_a_refused_form_keeps_what_the_reader_typed_and_says_what_is_wrong(client, post):
    data = form_data(post, author_name="", author_email="not-an-email", body="My <em>careful</em> words")

    response = client.post(comment_url(post), data)

    assert response.status_code == 400
    html = comments_section(response)
    assert "Please give a name" in html
    assert "This does not look like an email address" in html
    assert 'value="not-an-email"' in html
    assert "My &lt;em&gt;careful&lt;/em&gt; words</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert not Comment.objects.exists()


def test_csrf_is_enforced(post):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(comment_url(post), form_data(post)).status_code == 403
    assert not Comment.objects.exists()

    browser.get(post.get_absolute_url())
    token = browser.cookies["csrftoken"].value
    response = browser.post(comment_url(post), form_data(post, csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"subject": "Cheap watches"}, "honeypot"),
        ({"token": "fresh"}, "too_fast"),
        ({"token": ""}, "bad_token"),
        ({"token": "forged:value"}, "bad_token"),
        ({"token": "old-and-forged"}, "bad_token"),
    ],
)
def test_bots_get_the_same_confirmation_and_are_kept_as_spam(client, post, overrides, reason):
    if overrides.get("token") == "fresh":
        overrides["token"] = comment_form_token(post)  # sent the instant it was shown
    if overrides.get("token") == "old-and-forged":
        overrides["token"] = signing.dumps({"post": post.pk, "at": time.time() - 30 * DAY}, salt="not-ours")

    response = client.post(comment_url(post), form_data(post, **overrides), follow=True)

    assert CONFIRMATION in comments_section(response)
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == ("spam", reason)


def test_an_expired_form_is_refused_with_the_text_kept_and_a_fresh_token(client, post, settings):
    settings.COMMENT_FORM_MAX_AGE = 2 * DAY
    old_token = comment_form_token(post, issued_at=time.time() - 2 * DAY - 60)

    response = client.post(comment_url(post), form_data(post, token=old_token, body="Written on Monday."))

    assert response.status_code == 400
    section = comments_section(response)
    assert "This form has expired; your text is kept below — please send it again." in section
    assert "Written on Monday.</textarea>" in section
    assert not Comment.objects.exists()
    fresh_token = re.search(r'name="token" value="([^"]+)"', section)[1]
    assert fresh_token != old_token

    # Sent again at once: the reader has waited already, so it is neither too fast nor expired.
    again = client.post(comment_url(post), form_data(post, token=fresh_token, body="Written on Monday."))
    assert again.status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == ("pending", "")


def test_a_form_within_its_maximum_age_is_accepted(client, post, settings):
    settings.COMMENT_FORM_MAX_AGE = 2 * DAY

    client.post(comment_url(post), form_data(post, token=comment_form_token(post, issued_at=time.time() - DAY)))

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_form_token_of_another_post_is_not_accepted(client, post):
    client.post(comment_url(post), form_data(post, token=comment_form_token(PostFactory(), issued_at=time.time() - 60)))

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_the_honeypot_is_hidden_and_labelled_to_be_left_empty(client, post):
    html = comments_section(client.get(post.get_absolute_url()))

    assert re.search(r'<div class="field hp-field">\s*<label for="id_subject">Leave this field empty', html)
    assert '<input type="text" name="subject" autocomplete="off" tabindex="-1" maxlength="500" id="id_subject">' in html


def test_too_many_comments_from_one_address_get_a_429_with_the_text_kept(client, post, settings):
    settings.COMMENT_RATE_LIMIT_PER_IP = 2
    for n in range(2):
        assert client.post(comment_url(post), form_data(post, author_email=f"r{n}@example.org")).status_code == 302

    response = client.post(comment_url(post), form_data(post, author_email="r3@example.org", body="Third try"))

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.COMMENT_RATE_LIMIT_WINDOW)
    assert "You have sent several comments in a short time" in comments_section(response)
    assert "Third try</textarea>" in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(client, post, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.COMMENT_RATE_LIMIT_PER_IP = 1
    first = client.post(comment_url(post), form_data(post, body="One"), HTTP_X_FORWARDED_FOR="203.0.113.1")

    second = client.post(
        comment_url(post), form_data(post, author_email="b@example.org"), HTTP_X_FORWARDED_FOR="203.0.113.2"
    )

    assert (first.status_code, second.status_code) == (302, 429)
    assert Comment.objects.get().ip_address == "127.0.0.1"


def test_behind_a_trusted_proxy_each_reader_has_a_rate_limit_of_their_own(client, post, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.COMMENT_RATE_LIMIT_PER_IP = 1
    proxy = {"REMOTE_ADDR": "10.0.0.5"}

    def send(reader_ip, email):
        # The reader's own claim comes first; the proxy appends the address it saw.
        forwarded_for = f"198.51.100.66, {reader_ip}"
        data = form_data(post, author_email=email, body=f"From {email}")
        return client.post(comment_url(post), data, HTTP_X_FORWARDED_FOR=forwarded_for, **proxy).status_code

    assert send("192.0.2.1", "a@example.org") == 302
    assert send("192.0.2.2", "b@example.org") == 302
    assert send("192.0.2.1", "a2@example.org") == 429
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == ["192.0.2.1", "192.0.2.2"]


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.5"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "198.51.100.66, 192.0.2.1", "192.0.2.1"),
        (2, "198.51.100.66, 192.0.2.1, 10.0.0.4", "192.0.2.1"),
        (2, "192.0.2.1", "10.0.0.5"),  # fewer entries than proxies: the direct peer
        (1, "", "10.0.0.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "192.0.2.1, not-an-address", None),
        (1, "192.0.2.1:4711", None),
    ],
)
def test_client_ip_reads_the_address_the_nearest_trusted_proxy_saw(rf, settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


def test_too_many_comments_from_one_email_get_a_429(client, post, settings):
    settings.COMMENT_RATE_LIMIT_PER_EMAIL = 1
    assert client.post(comment_url(post), form_data(post, body="One")).status_code == 302

    other_address = client.post(comment_url(post), form_data(post, body="Two"), REMOTE_ADDR="192.0.2.8")

    assert other_address.status_code == 429
    assert Comment.objects.count() == 1


def test_the_same_comment_twice_is_stored_once_and_confirmed_twice(client, post):
    for _ in range(2):
        response = client.post(comment_url(post), form_data(post), follow=True)
        assert CONFIRMATION in comments_section(response)

    assert Comment.objects.count() == 1


def test_reply_links_prefill_the_parent_without_javascript(client, post):
    parent = CommentFactory(post=post, author_name="Grace")

    section = comments_section(client.get(post.get_absolute_url()))
    link = f"{post.get_absolute_url()}?reply_to={parent.pk}#comment-form"
    assert f'href="{link}"' in section

    section = comments_section(client.get(link))
    assert "Reply to <bdi>Grace</bdi>" in section
    assert f'name="parent" value="{parent.pk}"' in section

    client.post(comment_url(post), form_data(post, parent=str(parent.pk), body="I agree."))
    assert Comment.objects.get(body="I agree.").parent == parent


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM])
def test_a_reply_to_a_comment_readers_cannot_see_is_refused(client, post, status):
    hidden = CommentFactory(post=post, status=status)

    response = client.post(comment_url(post), form_data(post, parent=str(hidden.pk), body="Answer"))

    assert response.status_code == 400
    assert "not open for replies" in comments_section(response)
    assert '<input type="hidden" name="parent" id="id_parent">' in response.content.decode()  # sent again: top-level
    assert not Comment.objects.filter(body="Answer").exists()


def test_a_closed_post_refuses_the_comment_with_a_clear_message(client, post):
    post.comments_closed = True
    post.save()

    response = client.post(comment_url(post), form_data(post, body="Too late?"))

    assert response.status_code == 403
    section = comments_section(response)
    assert "Comments are closed on this post, so your comment was not posted." in section
    assert "Too late?</textarea>" in section and "<form" not in section
    assert not Comment.objects.exists()


def test_draft_posts_take_no_comments(client):
    draft = PostFactory(status=Post.Status.DRAFT)

    assert client.post(comment_url(draft), form_data(draft)).status_code == 404
    assert client.get(comment_url(PostFactory())).status_code == 405


def test_name_and_email_are_remembered_only_when_asked(client, post):
    client.post(comment_url(post), form_data(post, author_name="Ada L", remember="on"))
    html = comments_section(client.get(post.get_absolute_url()))
    assert 'value="Ada L"' in html and 'value="ada@example.org"' in html
    assert client.cookies["comment_author"]["httponly"]

    client.post(comment_url(post), form_data(post, author_name="Ada L", body="Second, not remembered"))
    html = comments_section(client.get(post.get_absolute_url()))
    assert 'value="Ada L"' not in html and "ada@example.org" not in html
