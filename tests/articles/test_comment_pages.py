"""What the post page shows of comments: approved only, nested, inert, with a bounded query count."""

import importlib
from html.parser import HTMLParser

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.comments import comment_approve
from articles.markdown import render_comment
from articles.models import Comment
from articles.templatetags import articles_tags
from tests.articles.conftest import comment_url, comments_section, form_data
from tests.factories import CommentFactory, PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    collector = ElementCollector()
    collector.feed(html)
    return collector.elements


def test_only_approved_comments_are_shown_and_counted(client, post, moderator, committed):
    CommentFactory(post=post, body="An approved opinion.")
    pending = CommentFactory(post=post, body="A pending opinion.", status=Comment.Status.PENDING)
    CommentFactory(post=post, body="A rejected opinion.", status=Comment.Status.REJECTED)
    CommentFactory(post=post, body="Buy pills.", status=Comment.Status.SPAM)

    section = comments_section(client.get(post.get_absolute_url()))
    assert "An approved opinion." in section and "1 comment<" in section
    for hidden in ("A pending opinion.", "A rejected opinion.", "Buy pills."):
        assert hidden not in section

    with committed():
        comment_approve(comment=pending, by=moderator)
    section = comments_section(client.get(post.get_absolute_url()))
    assert "A pending opinion." in section and "2 comments<" in section


def test_email_ip_and_user_agent_never_reach_the_page(client, post):
    CommentFactory(post=post, author_email="secret@example.org", ip_address="203.0.113.99", user_agent="SecretAgent/1")

    html = client.get(post.get_absolute_url()).content.decode()
    for private in ("secret@example.org", "203.0.113.99", "SecretAgent/1"):
        assert private not in html


HOSTILE_BODIES = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(document.cookie))",
    "[shout](JAVASCRIPT:alert(1)) and <javascript:alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<div><p><b>unclosed <i>tags <scr<script>ipt>alert(1)",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '" onmouseover="alert(1)" x="',
    "<style>body { display: none }</style><iframe src=//evil.example></iframe>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "zero\u200bwidth\u200d joiners and \u202eright-to-left override\u202c and \u2067isolate",
    "'; DROP TABLE articles_comment; -- and 1' OR '1'='1",
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_bodies_are_stored_as_typed_and_rendered_inert(client, post, moderator, body):
    response = client.post(comment_url(post), form_data(post, body=body))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == body
    comment_approve(comment=comment, by=moderator)

    section = comments_section(client.get(post.get_absolute_url()))
    assert "1 comment<" in section
    for tag, attrs in elements(section):
        assert tag not in {"script", "style", "img", "svg", "iframe", "object", "embed", "math"}
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "xlink:href", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")), (tag, attrs)
    for _, attrs in [e for e in elements(section) if e[0] == "a" and "href" in e[1] and "://" in e[1]["href"]]:
        assert attrs["rel"] == "nofollow ugc noopener"


@pytest.fixture
def renderer_calls(monkeypatch):
    """Every body the page hands to the comment Markdown renderer, cached or not."""
    calls = []

    def counting_render_comment(text):
        calls.append(text)
        return render_comment(text)

    monkeypatch.setattr(articles_tags, "render_comment", counting_render_comment)
    return calls


def test_the_page_shows_the_html_stored_with_the_comment_and_runs_no_markdown(client, post, moderator, renderer_calls):
    body = "Stored *once*, [shown](https://example.org) often."
    assert client.post(comment_url(post), form_data(post, body=body)).status_code == 302
    comment_approve(comment=Comment.objects.get(), by=moderator)

    section = comments_section(client.get(post.get_absolute_url()))

    assert "Stored <em>once</em>" in section
    assert '<a href="https://example.org" rel="nofollow ugc noopener">shown</a>' in section
    assert renderer_calls == []


def test_a_comment_stored_without_html_is_rendered_on_the_page(client, post, renderer_calls):
    CommentFactory(post=post, body="Older *comment*", body_html="")

    section = comments_section(client.get(post.get_absolute_url()))

    assert "Older <em>comment</em>" in section
    assert renderer_calls == ["Older *comment*"]


def test_the_migration_renders_the_comments_stored_before_it(post):
    migration = importlib.import_module("articles.migrations.0005_comment_body_html")
    old = CommentFactory(post=post, body="Before *the field*", body_html="")
    recent = CommentFactory(post=post, body="After", body_html="<p>kept as stored</p>")

    migration.render_existing_comments(django_apps, None)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.body_html == "<p>Before <em>the field</em></p>"
    assert recent.body_html == "<p>kept as stored</p>"


def test_replies_are_nested_one_level_under_their_comment(client, post):
    parent = CommentFactory(post=post, body="Top-level opinion.")
    CommentFactory(post=post, parent=parent, body="A reply to it.")

    section = comments_section(client.get(post.get_absolute_url()))

    replies = section[section.index('<ol class="comment-replies"') :]
    assert "A reply to it." in replies and "Top-level opinion." not in replies
    assert section.count("?reply_to=") == 1  # no reply to a reply


def test_a_closed_post_shows_its_comments_and_no_form(client):
    post = PostFactory(comments_closed=True)
    CommentFactory(post=post, body="Said before closing.")

    section = comments_section(client.get(post.get_absolute_url()))

    assert "Comments are closed." in section and "Said before closing." in section
    assert "<form" not in section and "reply_to" not in section


def test_the_post_page_query_count_does_not_grow_with_comments(client, django_assert_max_num_queries):
    empty = PostFactory()
    busy = PostFactory()
    parents = CommentFactory.create_batch(150, post=busy)
    for parent in parents[:50]:
        CommentFactory(post=busy, parent=parent)
    CommentFactory.create_batch(20, post=busy, status=Comment.Status.PENDING)

    with CaptureQueriesContext(connection) as empty_queries:
        assert client.get(empty.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(empty_queries)):
        response = client.get(busy.get_absolute_url())
    assert "200 comments<" in comments_section(response)


def test_home_and_tag_pages_count_approved_comments_only(client):
    tag = TagFactory()
    post = PostFactory(title="A standalone post")
    part = PostFactory(series=SeriesFactory(), series_position=1)
    for counted in (post, part):
        counted.tags.add(tag)
        CommentFactory.create_batch(2, post=counted)
        CommentFactory(post=counted, status=Comment.Status.PENDING)
        CommentFactory(post=counted, status=Comment.Status.SPAM)

    for url in (reverse("articles:home"), tag.get_absolute_url()):
        html = client.get(url).content.decode()
        for counted in (post, part):
            assert f'href="{counted.get_absolute_url()}#comments">2 comments</a>' in html


def test_comments_beyond_a_page_are_paginated_with_the_newest_page_linked(client, post, settings):
    settings.COMMENTS_PER_PAGE = 3
    comments = [CommentFactory(post=post, body=f"Comment number {n}.") for n in range(1, 8)]
    CommentFactory(post=post, parent=comments[0], body="A reply stays with its comment.")

    first = comments_section(client.get(post.get_absolute_url()))
    assert "8 comments<" in first and "Page 1 of 3" in first
    assert [n for n in range(1, 8) if f"Comment number {n}." in first] == [1, 2, 3]
    assert "A reply stays with its comment." in first
    assert f'href="{post.get_absolute_url()}?page=2#comments" rel="next">Newer' in first
    assert f'href="{post.get_absolute_url()}?page=3#comments">Newest' in first

    last = comments_section(client.get(post.get_absolute_url() + "?page=3"))
    assert "8 comments<" in last and "Page 3 of 3" in last
    assert [n for n in range(1, 8) if f"Comment number {n}." in last] == [7]
    assert f'href="{post.get_absolute_url()}?page=2#comments" rel="prev">Older' in last
    assert "Newest" not in last and 'id="comment-form"' in last


@pytest.mark.parametrize("page", ["4", "0", "two", "-1"])
def test_a_page_of_comments_that_does_not_exist_is_a_404(client, post, settings, page):
    settings.COMMENTS_PER_PAGE = 3
    CommentFactory.create_batch(7, post=post)

    assert client.get(f"{post.get_absolute_url()}?page={page}").status_code == 404


def test_a_post_with_few_comments_has_no_page_links(client, post):
    CommentFactory.create_batch(2, post=post)

    assert "Page 1 of" not in comments_section(client.get(post.get_absolute_url()))
