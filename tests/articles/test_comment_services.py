"""Comment services, querysets and rendering: what is stored, what readers may see, who moderated."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.comments import (
    TRAP_REASONS,
    CommentsClosed,
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_submit,
)
from articles.markdown import render_comment, render_markdown
from articles.models import Comment, Post
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def submit(post, **overrides):
    fields = {"author_name": "Ada", "author_email": "ada@example.org", "body": "Nice list."}
    return comment_submit(post=post, **(fields | overrides))


def test_a_new_comment_waits_for_moderation_and_is_not_visible(post):
    submission = submit(post, ip_address="198.51.100.4", user_agent="Firefox")

    comment = submission.comment
    assert submission.created and submission.needs_moderator_email
    assert (comment.status, comment.held_reason) == (Comment.Status.PENDING, "")
    assert (comment.ip_address, comment.user_agent) == ("198.51.100.4", "Firefox")
    assert not Comment.objects.approved().exists()
    assert Post.objects.with_comment_count().get().comment_count == 0


def test_more_links_than_allowed_holds_the_comment_as_likely_spam(post, settings):
    settings.COMMENT_MAX_LINKS = 3
    three = submit(post, body="https://a.example http://b.example [c](https://c.example)").comment
    four = submit(post, body="www.a.example https://b.example https://c.example [d](https://d.example)").comment

    assert (three.status, three.held_reason) == ("pending", "")
    assert (four.status, four.held_reason) == ("pending", "links")


def test_a_trapped_submission_is_kept_as_spam_and_nobody_is_emailed(post):
    submission = submit(post, spam_reason=Comment.HeldReason.HONEYPOT)

    assert (submission.comment.status, submission.comment.held_reason) == ("spam", "honeypot")
    assert not submission.needs_moderator_email


def test_the_same_comment_sent_twice_is_stored_once(post):
    first = submit(post, body="Same words.\r\n")
    again = submit(post, author_email="ADA@example.org", body="Same words.\n")
    other_post = submit(PostFactory(), body="Same words.")

    assert first.created and not again.created and other_post.created
    assert again.comment.pk == first.comment.pk
    assert not again.needs_moderator_email
    assert Comment.objects.filter(post=post).count() == 1


@pytest.mark.parametrize("trap", TRAP_REASONS)
def test_the_same_text_sent_properly_after_a_trap_caught_it_goes_to_the_moderators(post, trap):
    trapped = submit(post, body="Same words.", spam_reason=trap, ip_address="192.0.2.1").comment

    again = submit(post, author_name="Ada L.", body="Same words.", ip_address="192.0.2.9", user_agent="Firefox")

    assert again.comment.pk == trapped.pk and not again.created
    assert again.needs_moderator_email
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == (Comment.Status.PENDING, "")
    assert (comment.author_name, comment.ip_address, comment.user_agent) == ("Ada L.", "192.0.2.9", "Firefox")
    assert (comment.moderated_by, comment.moderated_at, comment.notified_at) == (None, None, None)
    assert comment.created_at >= trapped.created_at
    assert not submit(post, body="Same words.").needs_moderator_email  # reopened once, not again


def test_a_reopened_comment_with_too_many_links_is_held_for_its_links(post, settings):
    settings.COMMENT_MAX_LINKS = 1
    body = "https://a.example https://b.example"
    submit(post, body=body, spam_reason=Comment.HeldReason.TOO_FAST)

    again = submit(post, body=body)

    assert again.needs_moderator_email
    assert (again.comment.status, again.comment.held_reason) == (Comment.Status.PENDING, Comment.HeldReason.LINKS)


def test_a_trapped_copy_stays_spam_when_sent_again_by_a_bot_or_once_a_moderator_decided(post, moderator):
    submit(post, body="Bot words.", spam_reason=Comment.HeldReason.HONEYPOT)
    assert not submit(post, body="Bot words.", spam_reason=Comment.HeldReason.TOO_FAST).needs_moderator_email

    decided = submit(post, body="Decided.", spam_reason=Comment.HeldReason.TOO_FAST).comment
    comment_approve(comment=decided, by=moderator)
    comment_mark_spam(comment=decided, by=moderator)
    assert not submit(post, body="Decided.").needs_moderator_email

    CommentFactory(post=post, author_email="ada@example.org", body="Marked.", status=Comment.Status.SPAM)
    assert not submit(post, body="Marked.").needs_moderator_email  # spam by a moderator, no trap

    assert list(Comment.objects.values_list("status", flat=True)) == [Comment.Status.SPAM] * 3


def test_replies_attach_to_approved_top_level_comments_of_the_same_post_only(post):
    approved = CommentFactory(post=post)
    reply = submit(post, parent=approved).comment
    assert reply.parent == approved

    refused = [
        CommentFactory(post=post, status=Comment.Status.PENDING),
        CommentFactory(post=post, status=Comment.Status.REJECTED),
        CommentFactory(post=post, status=Comment.Status.SPAM),
        CommentFactory(post=post, parent=approved),  # replies are one level deep
        CommentFactory(),  # another post
    ]
    for parent in refused:
        with pytest.raises(ValidationError):
            submit(post, body=f"Answering {parent.pk}", parent=parent)
    assert Comment.objects.filter(post=post, author_email="ada@example.org").count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Post.Status.DRAFT},
        {"status": Post.Status.COMING_SOON, "published_on": None},
        {"status": Post.Status.RETIRED},
        {"comments_closed": True},
        {"comments_close_after_days": 30, "published_on": datetime.date(2018, 11, 2)},
        {"published_on": datetime.date(2999, 1, 1)},
    ],
    ids=["draft", "coming-soon", "retired", "closed-by-editor", "past-its-days", "not-yet-published"],
)
def test_closed_posts_refuse_comments(changes):
    post = PostFactory(**changes)

    assert not post.comments_open
    with pytest.raises(CommentsClosed):
        submit(post)
    assert not Comment.objects.exists()


def test_comments_stay_open_until_the_last_of_their_days():
    today = timezone.localdate()
    assert PostFactory(published_on=today - datetime.timedelta(days=30), comments_close_after_days=30).comments_open
    assert not PostFactory(published_on=today - datetime.timedelta(days=31), comments_close_after_days=30).comments_open
    assert PostFactory(published_on=today, comments_close_after_days=0).comments_open


@pytest.mark.parametrize(
    ("service", "status"),
    [(comment_approve, "approved"), (comment_reject, "rejected"), (comment_mark_spam, "spam")],
)
def test_each_moderation_records_who_and_when(service, status, moderator):
    comment = CommentFactory(status=Comment.Status.PENDING)
    before = timezone.now()

    assert service(comment=comment, by=moderator) is True
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == moderator
    assert before <= comment.moderated_at <= timezone.now()
    assert service(comment=comment, by=moderator) is False  # nothing changed, nothing recorded twice


def test_approval_shows_a_comment_and_reject_or_spam_hides_it_with_its_replies(post, moderator):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)
    comment_approve(comment=comment, by=moderator)
    reply = CommentFactory(post=post, parent=comment)
    assert list(Comment.objects.approved()) == [comment, reply]
    assert Post.objects.with_comment_count().get().comment_count == 2

    comment_reject(comment=comment, by=moderator)
    assert list(Comment.objects.approved()) == []
    assert Post.objects.with_comment_count().get().comment_count == 0

    comment_approve(comment=comment, by=moderator)
    comment_mark_spam(comment=reply, by=moderator)
    assert list(Comment.objects.approved()) == [comment]


def test_comment_markdown_keeps_the_small_subset():
    html = render_comment("Hello *there* **you**, `code` and [a link](https://example.org/x).\n\n```\nx = 1\n```")

    assert "<em>there</em>" in html and "<strong>you</strong>" in html and "<code>code</code>" in html
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">a link</a>' in html
    assert "<pre><code>x = 1\n</code></pre>" in html


def test_comment_markdown_has_no_headings_images_lists_or_html():
    html = render_comment("# Big\n\n![pic](https://example.org/p.png)\n\n- item\n\n<b>bold</b>")

    for tag in ("<h1", "<img", "<ul", "<li", "<b>"):
        assert tag not in html
    assert "# Big" in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_post_markdown_is_unchanged_by_the_comment_subset():
    html = render_markdown("## Heading\n\n- item\n\n[link](https://example.org)")

    assert "<h2>Heading</h2>" in html and "<li>item</li>" in html
    assert 'rel="noopener noreferrer"' in html
