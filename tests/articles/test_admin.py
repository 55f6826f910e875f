"""The editors' admin: an Editors-group user can do editorial work and nothing on users or groups."""

import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Post
from tests.factories import LibraryFactory, PostFactory

pytestmark = pytest.mark.django_db


def post_form(**overrides):
    data = {
        "title": "Top 2 Python Testing Libraries",
        "slug": "top-2-python-testing-libraries",
        "subtitle": "",
        "author": "An Editor",
        "status": "published",
        "published_on": "2019-02-01",
        "series": "",
        "series_position": "",
        "body": "Intro **here**.",
        "figure_caption": "",
        "figures_as_of": "2019-01-30",
        "closing": "",
        "source_url": "",
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "comments_close_after_days": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_editors_group_holds_only_editorial_permissions():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_post", "change_post", "add_listentry", "change_library"} <= codenames
    assert not {"delete_post", "add_user", "change_user", "change_group", "delete_library"} & codenames


def test_editor_creates_a_post_with_entries(editor_client):
    pytest_lib, hypothesis = LibraryFactory(name="pytest"), LibraryFactory(name="Hypothesis")
    data = post_form(
        **{
            "entries-0-rank": "1",
            "entries-0-library": str(pytest_lib.pk),
            "entries-0-stars": "9000",
            "entries-0-contributors": "",
            "entries-0-commits": "",
            "entries-0-description": "The runner.",
            "entries-1-rank": "2",
            "entries-1-library": str(hypothesis.pk),
            "entries-1-stars": "7000",
            "entries-1-contributors": "300",
            "entries-1-commits": "",
            "entries-1-description": "Properties.",
        }
    )
    response = editor_client.post("/admin/articles/post/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="top-2-python-testing-libraries")
    assert [(e.rank, e.library.name, e.stars) for e in post.entries.order_by("rank")] == [
        (1, "pytest", 9000),
        (2, "Hypothesis", 7000),
    ]
    page = editor_client.get(post.get_absolute_url()).content.decode()
    assert "9,000" in page and "Properties." in page


def test_two_entries_with_one_rank_are_refused_in_the_admin(editor_client):
    first, second = LibraryFactory(), LibraryFactory()
    data = post_form(
        **{
            "entries-0-rank": "1",
            "entries-0-library": str(first.pk),
            "entries-1-rank": "1",
            "entries-1-library": str(second.pk),
        }
    )
    response = editor_client.post("/admin/articles/post/add/", data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for rank" in response.content.decode()
    assert not Post.objects.filter(slug="top-2-python-testing-libraries").exists()


def test_editor_cannot_open_user_or_group_admin(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    index = editor_client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in index


def test_editor_cannot_delete_a_post(editor_client):
    post = PostFactory()
    assert editor_client.get(f"/admin/articles/post/{post.pk}/delete/").status_code == 403


def test_library_autocomplete_serves_the_post_form(editor_client):
    LibraryFactory(name="TensorFlow")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "tens", "app_label": "articles", "model_name": "listentry", "field_name": "library"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["TensorFlow"]


def test_markdown_preview_is_for_editors_only(client, editor_client, django_user_model):
    from django.test import Client

    from tests.conftest import staff_in_group

    assert Client().post("/markdownx/markdownify/", {"content": "**x**"}).status_code == 302
    moderator = Client()
    moderator.force_login(staff_in_group(django_user_model, "mod", "Moderators"))
    assert moderator.post("/markdownx/markdownify/", {"content": "**x**"}).status_code == 403
    assert moderator.post("/markdownx/upload/", {}).status_code == 404  # uploads are not routed at all
    response = editor_client.post("/markdownx/markdownify/", {"content": "**x** <script>1</script>"})
    assert response.status_code == 200
    assert "<strong>x</strong>" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_editor_without_group_has_no_post_admin(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x-long-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/articles/post/").status_code == 403
    assert Permission.objects.filter(user=staff).count() == 0


def test_published_post_without_a_date_is_refused_and_keeps_the_input(editor_client):
    response = editor_client.post(
        "/admin/articles/post/add/", post_form(published_on="", **{"entries-TOTAL_FORMS": "0"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A published post needs its publication date." in html
    assert 'value="Top 2 Python Testing Libraries"' in html
    assert not Post.objects.exists()


def test_the_body_help_says_what_html_does_and_the_page_does_it(editor_client, client):
    html = editor_client.get("/admin/articles/post/add/").content.decode()
    assert "HTML typed here is shown as plain text, not applied." in html and "Raw HTML is removed" not in html
    post = PostFactory(body="Use <b>bold</b> here.")
    assert "Use &lt;b&gt;bold&lt;/b&gt; here." in client.get(post.get_absolute_url()).content.decode()
