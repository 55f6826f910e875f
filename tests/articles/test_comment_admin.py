"""The moderators' admin: the pending queue, bulk actions, the Moderators group's reach."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from articles.models import Comment
from tests.factories import CommentFactory, LibraryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_comment_changelist")


def change_url(comment):
    return reverse("admin:articles_comment_change", args=[comment.pk])


def run_action(client, action, comments):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True)


def test_the_moderators_group_can_view_and_change_comments_and_nothing_else():
    moderators = Group.objects.get(name="Moderators")

    assert set(moderators.permissions.values_list("content_type__app_label", "codename")) == {
        ("articles", "view_comment"),
        ("articles", "change_comment"),
    }


def test_editors_can_moderate_too(editor):
    assert editor.has_perms(["articles.view_comment", "articles.change_comment"])
    assert not editor.has_perm("articles.delete_comment")


def test_the_queue_opens_on_pending_comments_newest_first(moderator_client, post):
    older = CommentFactory(post=post, status=Comment.Status.PENDING, body="Older pending")
    newer = CommentFactory(post=post, status=Comment.Status.PENDING, body="Newer pending")
    CommentFactory(post=post, status=Comment.Status.APPROVED, body="Already approved")

    response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [newer, older]
    html = response.content.decode()
    assert "Already approved" not in html
    assert "Top 13 Python Deep Learning Libraries" in html

    everything = moderator_client.get(CHANGELIST, {"status": "all"})
    assert len(everything.context["cl"].result_list) == 3
    assert "Already approved" in everything.content.decode()


def test_the_queue_shows_why_a_comment_was_held(moderator_client, post):
    CommentFactory(post=post, status=Comment.Status.PENDING, held_reason=Comment.HeldReason.LINKS)
    CommentFactory(post=post, status=Comment.Status.SPAM, held_reason=Comment.HeldReason.HONEYPOT)

    assert "Too many links" in moderator_client.get(CHANGELIST).content.decode()
    assert "Filled in the hidden field" in moderator_client.get(CHANGELIST, {"status": "spam"}).content.decode()


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("approve", "approved", "1 comment approved."),
        ("reject", "rejected", "1 comment rejected."),
        ("mark_spam", "spam", "1 comment marked as spam."),
    ],
)
def test_bulk_actions_moderate_record_who_and_say_how_many(moderator_client, moderator, action, status, message):
    first, second = CommentFactory.create_batch(2, status=Comment.Status.PENDING)

    response = run_action(moderator_client, action, [first])
    assert message in response.content.decode()

    response = run_action(moderator_client, action, [first, second])
    assert message in response.content.decode()  # the first was already done: only the second counts
    for comment in (first, second):
        comment.refresh_from_db()
        assert (comment.status, comment.moderated_by) == (status, moderator)
        assert comment.moderated_at is not None


def test_plural_message_when_several_change(moderator_client):
    comments = CommentFactory.create_batch(3, status=Comment.Status.PENDING)

    response = run_action(moderator_client, "approve", comments)

    assert "3 comments approved." in response.content.decode()
    assert Comment.objects.approved().count() == 3


def test_changing_the_status_on_the_comment_page_is_recorded(moderator_client, moderator):
    comment = CommentFactory(status=Comment.Status.PENDING, ip_address="198.51.100.23", user_agent="Agent/7")

    page = moderator_client.get(change_url(comment)).content.decode()
    assert "198.51.100.23" in page and "Agent/7" in page
    assert 'name="ip_address"' not in page and 'name="user_agent"' not in page and 'name="body"' not in page

    response = moderator_client.post(change_url(comment), {"status": "approved", "ip_address": "1.2.3.4"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by, str(comment.ip_address)) == ("approved", moderator, "198.51.100.23")


def test_moderators_cannot_add_or_delete_comments(moderator_client):
    comment = CommentFactory()

    assert moderator_client.get(reverse("admin:articles_comment_add")).status_code == 403
    assert moderator_client.get(reverse("admin:articles_comment_delete", args=[comment.pk])).status_code == 403
    assert "delete_selected" not in moderator_client.get(CHANGELIST).content.decode()


def test_moderators_cannot_edit_posts_libraries_users_or_groups(moderator_client, moderator, post):
    library = LibraryFactory()
    forbidden = [
        reverse("admin:articles_post_change", args=[post.pk]),
        reverse("admin:articles_post_changelist"),
        reverse("admin:libraries_library_change", args=[library.pk]),
        reverse("admin:auth_user_change", args=[moderator.pk]),
        reverse("admin:auth_group_changelist"),
    ]
    for url in forbidden:
        assert moderator_client.get(url).status_code == 403, url
    edit = moderator_client.post(reverse("admin:articles_post_change", args=[post.pk]), {"title": "x"})
    assert edit.status_code == 403
    assert not moderator.has_perm("auth.change_user") and not moderator.has_perm("articles.change_post")


def test_the_admin_index_shows_how_many_comments_await_moderation(moderator_client, editor_client):
    CommentFactory.create_batch(2, status=Comment.Status.PENDING)
    CommentFactory(status=Comment.Status.APPROVED)

    for client in (moderator_client, editor_client):
        html = client.get(reverse("admin:index")).content.decode()
        assert f'<a href="{CHANGELIST}">2 comments awaiting moderation</a>' in html


def test_the_index_count_is_hidden_from_staff_without_comment_access(client, django_user_model):
    staff = django_user_model.objects.create_user("clerk", password="x-long-password", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_library"))
    client.force_login(staff)
    CommentFactory(status=Comment.Status.PENDING)

    assert "awaiting moderation" not in client.get(reverse("admin:index")).content.decode()


def test_a_posts_comments_are_inline_on_the_post(editor_client, post):
    comment = CommentFactory(post=post, body="Seen from the post page", status=Comment.Status.PENDING)

    html = editor_client.get(reverse("admin:articles_post_change", args=[post.pk])).content.decode()

    assert "Seen from the post page" in html
    assert change_url(comment) in html


def test_hostile_text_is_escaped_in_the_admin(moderator_client):
    comment = CommentFactory(
        status=Comment.Status.PENDING, author_name="<b>Eve</b>", body='<script>alert(1)</script><img src=x onerror="x">'
    )

    for url in (CHANGELIST, change_url(comment)):
        html = moderator_client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>Eve</b>" not in html
        assert "&lt;b&gt;Eve&lt;/b&gt;" in html


def test_create_moderator_makes_a_staff_account_in_the_moderators_group(monkeypatch, django_user_model):
    monkeypatch.setenv("MODERATOR_PASSWORD", "a-long-moderator-password")

    call_command("create_moderator", "mo", "--email", "mo@example.org", "--password-env", "MODERATOR_PASSWORD")

    user = django_user_model.objects.get(username="mo")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Moderators"]
    assert user.has_perm("articles.change_comment") and not user.has_perm("articles.change_post")


class FormFields(HTMLParser):
    """The values a browser would send back from the admin's change form, as it was shown."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "checkbox", "file"}:
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data.setdefault(name, []).append(attrs.get("value") or "on")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "option" and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def test_an_editor_can_still_save_a_post_that_has_comments(editor_client, post):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)
    url = reverse("admin:articles_post_change", args=[post.pk])
    fields = FormFields()
    fields.feed(editor_client.get(url).content.decode())
    fields.data["title"] = ["Top 13 Python Deep Learning Libraries, revised"]
    fields.data["comments_closed"] = ["on"]
    fields.data["_publish_now"] = ["1"]  # a live post's changes are a draft until published

    response = editor_client.post(url, fields.data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    post.refresh_from_db()
    assert post.title.endswith("revised") and post.comments_closed
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_post_filter_names_only_posts_with_comments(moderator_client, post):
    from articles.models import Post
    from tests.factories import PostFactory

    PostFactory(title="Top 5 Secret Draft", status=Post.Status.DRAFT)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    page = moderator_client.get(reverse("admin:articles_comment_changelist") + "?status=all").content.decode()
    assert post.title in page
    assert "Top 5 Secret Draft" not in page
