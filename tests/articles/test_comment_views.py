"""The comment form: its own page, its POST and its token, as a reader, a bot and another site would use them."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles.forms import comment_form_token
from articles.models import Comment, Post
from core.client import client_ip
from tests.articles.conftest import comment_url, comments_section, form_data, form_page
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
    html = form_page(response)
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
    html = form_page(response)
    assert "Please give a name" in html
    assert "This does not look like an email address" in html
    assert 'value="not-an-email"' in html
    assert "My &lt;em&gt;careful&lt;/em&gt; words</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},  # a browser too old for Sec-Fetch-Site
        {"Origin": "http://testserver", "Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Referer": "https://evil.example/page.html"},
        {},  # says nothing of where it comes from
    ],
)
def test_a_comment_sent_from_another_site_is_refused_and_nothing_is_stored(post, headers):
    another_site = Client(headers=headers)

    response = another_site.post(comment_url(post), form_data(post))

    assert response.status_code == 403
    assert "only be sent from this site" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_old_browser_without_origin_is_recognised_by_its_referer(post):
    browser = Client(headers={"Referer": f"http://testserver{post.get_absolute_url()}"})

    assert browser.post(comment_url(post), form_data(post)).status_code == 302
    assert Comment.objects.count() == 1


def test_signed_in_staff_keep_djangos_csrf_check(post, editor):
    browser = Client(enforce_csrf_checks=True, headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    browser.force_login(editor)

    assert browser.post(comment_url(post), form_data(post)).status_code == 403
    assert not Comment.objects.exists()

    page = browser.get(comment_url(post)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = browser.post(comment_url(post), form_data(post, csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_an_anonymous_reader_needs_no_csrf_cookie(post):
    browser = Client(enforce_csrf_checks=True, headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})

    page = browser.get(post.get_absolute_url())
    assert "csrftoken" not in page.cookies and "csrfmiddlewaretoken" not in page.content.decode()
    assert browser.post(comment_url(post), form_data(post)).status_code == 302
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
    section = form_page(response)
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


@pytest.mark.parametrize("page", ["post", "comment form"])
def test_the_honeypot_is_hidden_and_labelled_to_be_left_empty(client, post, page):
    url = post.get_absolute_url() if page == "post" else comment_url(post)
    html = client.get(url).content.decode()

    assert re.search(r'<div class="field hp-field">\s*<label for="id_subject">Leave this field empty', html)
    assert '<input type="text" name="subject" autocomplete="off" tabindex="-1" maxlength="500" id="id_subject">' in html


def test_too_many_comments_from_one_address_get_a_429_with_the_text_kept(client, post, settings):
    settings.COMMENT_RATE_LIMIT_PER_IP = 2
    for n in range(2):
        assert client.post(comment_url(post), form_data(post, author_email=f"r{n}@example.org")).status_code == 302

    response = client.post(comment_url(post), form_data(post, author_email="r3@example.org", body="Third try"))

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.COMMENT_RATE_LIMIT_WINDOW)
    assert "You have sent several comments in a short time" in form_page(response)
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


def test_reply_links_lead_to_the_form_page_with_the_parent_prefilled(client, post):
    parent = CommentFactory(post=post, author_name="Grace", body="Keras is *fine*.")

    section = comments_section(client.get(post.get_absolute_url()))
    link = f"{comment_url(post)}?reply_to={parent.pk}"
    assert f'href="{link}"' in section

    page = form_page(client.get(link))
    assert "Reply to <bdi>Grace</bdi>" in page
    assert "Keras is <em>fine</em>." in page  # the comment being answered, as shown on the post
    assert f'name="parent" value="{parent.pk}"' in page

    client.post(comment_url(post), form_data(post, parent=str(parent.pk), body="I agree."))
    assert Comment.objects.get(body="I agree.").parent == parent


def test_a_reply_link_to_a_comment_readers_cannot_see_opens_a_plain_comment_form(client, post):
    hidden = CommentFactory(post=post, status=Comment.Status.PENDING, author_name="Hidden", body="Pending words")

    page = form_page(client.get(f"{comment_url(post)}?reply_to={hidden.pk}"))

    assert "Leave a comment" in page and "Hidden" not in page and "Pending words" not in page
    assert '<input type="hidden" name="parent" id="id_parent">' in page


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM])
def test_a_reply_to_a_comment_readers_cannot_see_is_refused(client, post, status):
    hidden = CommentFactory(post=post, status=status)

    response = client.post(comment_url(post), form_data(post, parent=str(hidden.pk), body="Answer"))

    assert response.status_code == 400
    assert "not open for replies" in form_page(response)
    assert '<input type="hidden" name="parent" id="id_parent">' in response.content.decode()  # sent again: top-level
    assert not Comment.objects.filter(body="Answer").exists()


def test_a_closed_post_refuses_the_comment_with_a_clear_message(client, post):
    post.comments_closed = True
    post.save()

    response = client.post(comment_url(post), form_data(post, body="Too late?"))

    assert response.status_code == 403
    section = form_page(response)
    assert "Comments are closed on this post, so your comment was not posted." in section
    assert "Too late?</textarea>" in section and "<form" not in section
    assert not Comment.objects.exists()


def test_draft_posts_take_no_comments(client):
    draft = PostFactory(status=Post.Status.DRAFT)

    assert client.post(comment_url(draft), form_data(draft)).status_code == 404
    assert client.get(comment_url(draft)).status_code == 404
    assert client.get(reverse("articles:comment_token", kwargs={"slug": draft.slug})).status_code == 404


def test_name_and_email_are_remembered_only_when_asked(client, post):
    client.post(comment_url(post), form_data(post, author_name="Ada L", remember="on"))
    page = form_page(client.get(comment_url(post)))
    assert 'value="Ada L"' in page and 'value="ada@example.org"' in page
    assert client.cookies["comment_author"]["httponly"]
    token = client.get(token_url(post)).json()
    assert (token["author_name"], token["author_email"], token["remember"]) == ("Ada L", "ada@example.org", True)

    client.post(comment_url(post), form_data(post, author_name="Ada L", body="Second, not remembered"))
    page = form_page(client.get(comment_url(post)))
    assert 'value="Ada L"' not in page and "ada@example.org" not in page
    assert "author_name" not in client.get(token_url(post)).json()


def token_url(post) -> str:
    return reverse("articles:comment_token", kwargs={"slug": post.slug})


def test_the_post_page_carries_no_token_and_links_to_the_form_page(client, post):
    section = comments_section(client.get(post.get_absolute_url()))

    assert re.search(r'<form id="comment-form"[^>]*data-token-url="/posts/top-13/comment/token/"[^>]* hidden>', section)
    assert '<input type="hidden" name="token" id="id_token">' in section  # filled in by comments.js
    assert f'<a href="{comment_url(post)}">Leave a comment</a>' in section


def test_the_form_page_carries_a_token_the_time_trap_accepts_once_the_reader_has_waited(client, post, settings):
    settings.COMMENT_MIN_SECONDS = 0
    page = client.get(comment_url(post))
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode())[1]

    client.post(comment_url(post), form_data(post, token=token))

    assert (Comment.objects.get().status, Comment.objects.get().held_reason) == ("pending", "")


def test_the_token_endpoint_gives_a_fresh_token_and_is_never_cached(client, post, settings):
    settings.COMMENT_MIN_SECONDS = 0
    response = client.get(token_url(post))

    assert response.status_code == 200 and response.json()["open"] is True
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # an anonymous reader gets no CSRF cookie from it either
    client.post(comment_url(post), form_data(post, token=response.json()["token"]))
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_the_token_endpoint_gives_signed_in_staff_their_csrf_token(post, editor):
    browser = Client(headers={"Sec-Fetch-Site": "same-origin"})
    browser.force_login(editor)

    answer = browser.get(token_url(post)).json()

    assert answer["csrf_token"] and browser.cookies["csrftoken"].value


def test_the_token_endpoint_refuses_another_site_and_says_when_comments_are_closed(client, post):
    cross_site = Client(headers={"Sec-Fetch-Site": "cross-site"}).get(token_url(post))
    assert cross_site.status_code == 403 and "token" not in cross_site.json()

    post.comments_closed = True
    post.save()
    assert client.get(token_url(post)).json() == {"open": False}


def test_a_reader_correcting_refused_forms_is_not_locked_out(client, post, settings):
    settings.COMMENT_RATE_LIMIT_PER_IP = 2
    settings.COMMENT_RATE_LIMIT_INVALID_PER_IP = 6
    for _ in range(5):  # five tries with the name missing
        assert client.post(comment_url(post), form_data(post, author_name="")).status_code == 400

    assert client.post(comment_url(post), form_data(post)).status_code == 302
    assert Comment.objects.count() == 1


def test_refused_forms_have_a_limit_of_their_own(client, post, settings):
    settings.COMMENT_RATE_LIMIT_INVALID_PER_IP = 3
    statuses = [client.post(comment_url(post), form_data(post, author_name="")).status_code for _ in range(4)]

    assert statuses == [400, 400, 400, 429]


def test_one_form_token_sends_one_comment(client, post, settings):
    settings.COMMENT_MIN_SECONDS = 0
    token = comment_form_token(post, issued_at=time.time() - 60)
    assert client.post(comment_url(post), form_data(post, token=token)).status_code == 302

    again = client.post(comment_url(post), form_data(post, token=token, author_email="b@example.org", body="Second"))

    assert again.status_code == 400
    page = form_page(again)
    assert "This form has sent a comment already." in page and "Second</textarea>" in page
    fresh = re.search(r'name="token" value="([^"]+)"', page)[1]
    assert fresh != token
    assert client.post(comment_url(post), form_data(post, token=fresh, author_email="b@example.org")).status_code == 302
    assert sorted(Comment.objects.values_list("author_email", flat=True)) == ["ada@example.org", "b@example.org"]


def test_a_token_reused_by_a_bot_across_addresses_stores_one_comment(client, post, settings):
    settings.COMMENT_RATE_LIMIT_PER_IP = 100  # the token alone stops it
    token = comment_form_token(post, issued_at=time.time() - 60)
    statuses = [
        client.post(comment_url(post), form_data(post, token=token, author_email=f"bot{n}@example.org")).status_code
        for n in range(8)
    ]

    assert statuses == [302] + [400] * 7
    assert Comment.objects.count() == 1


def test_the_token_endpoint_is_rate_limited_per_address(client, post):
    from django.test import Client

    answers = [client.get(token_url(post)).status_code for _ in range(61)]
    assert answers[:60] == [200] * 60 and answers[60] == 429
    assert "works again in a minute" in client.get(token_url(post)).json()["error"]
    elsewhere = Client(REMOTE_ADDR="192.0.2.7", headers={"Sec-Fetch-Site": "same-origin"})
    assert elsewhere.get(token_url(post)).status_code == 200  # another reader is not held back
