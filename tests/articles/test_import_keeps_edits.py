"""The import `make run` does at every start never overwrites what editors changed in the admin."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from articles.models import Post
from libraries.models import Library
from tests.admin_forms import admin_change
from tests.conftest import CATALOGUE, TOP_8, TOP_13

pytestmark = pytest.mark.django_db

TOP_13_SLUG = "top-13-python-deep-learning-libraries"


def import_as_make_run_does(*options) -> str:
    out = io.StringIO()
    call_command("import_libraries", str(CATALOGUE), *options, stdout=out)
    call_command("import_article", str(TOP_8), str(TOP_13), *options, stdout=out)
    return out.getvalue()


def test_an_editors_change_survives_the_import_make_run_does(imported_series, editor_client):
    post = Post.objects.get(slug=TOP_13_SLUG)
    admin_change(
        editor_client,
        reverse("admin:articles_post_change", args=[post.pk]),
        title="Top 13 Deep Learning Libraries (edited)",
        body="Rewritten by an editor.",
        _publish_now="1",
    )

    output = import_as_make_run_does()

    post.refresh_from_db()
    assert (post.title, post.body) == ("Top 13 Deep Learning Libraries (edited)", "Rewritten by an editor.")
    assert f"skipped {TOP_13}: “Top 13 Deep Learning Libraries (edited)” was changed in the admin" in output
    assert "--force overwrites it" in output
    assert f"imported {TOP_8}" in output  # the other file imports as before


def test_force_overwrites_and_the_admin_history_says_so(imported_series, editor_client):
    post = Post.objects.get(slug=TOP_13_SLUG)
    admin_change(
        editor_client,
        reverse("admin:articles_post_change", args=[post.pk]),
        subtitle="An editor's subtitle",
        _publish_now="1",
    )

    import_as_make_run_does("--force")

    post.refresh_from_db()
    assert post.subtitle != "An editor's subtitle"
    entry = LogEntry.objects.filter(object_id=str(post.pk)).latest("action_time")
    assert entry.user.username == "importer" and not entry.user.is_active
    assert "Overwritten by import_article --force" in entry.get_change_message()


def test_a_post_nobody_edited_follows_its_file(imported_series, tmp_path):
    changed_file = tmp_path / TOP_13.name
    changed_file.write_text(
        TOP_13.read_text().replace("Top 13 Python Deep Learning Libraries", "Top 13 Python DL Libraries", 1)
    )

    call_command("import_article", str(changed_file), stdout=io.StringIO())

    assert Post.objects.get(slug=TOP_13_SLUG).title == "Top 13 Python DL Libraries"


def test_a_post_imported_before_fingerprints_is_left_alone_when_it_differs(imported_series):
    Post.objects.filter(slug=TOP_13_SLUG).update(imported_hash="", title="Edited before fingerprints were kept")
    Post.objects.filter(slug="top-8-python-machine-learning-libraries").update(imported_hash="")

    output = import_as_make_run_does()

    assert "was imported before changes were tracked" in output
    assert Post.objects.get(slug=TOP_13_SLUG).title == "Edited before fingerprints were kept"
    assert Post.objects.get(slug="top-8-python-machine-learning-libraries").imported_hash  # unchanged: now tracked


def test_a_library_renamed_in_the_admin_survives_the_catalogue_import(imported_series, editor_client):
    mxnet = Library.objects.get(slug="apache-mxnet")
    admin_change(editor_client, reverse("admin:libraries_library_change", args=[mxnet.pk]), name="MXNet (Apache)")

    output = import_as_make_run_does()
    mxnet.refresh_from_db()
    assert mxnet.name == "MXNet (Apache)" and "Apache MXNet" in mxnet.aliases  # articles still find it
    assert Library.objects.filter(name__icontains="mxnet").count() == 1
    assert "skipped, changed since they were imported (--force overwrites them): Apache MXNet" in output

    import_as_make_run_does("--force")
    mxnet.refresh_from_db()
    assert mxnet.name == "Apache MXNet"
    assert LogEntry.objects.filter(object_id=str(mxnet.pk), change_message__contains="import_libraries --force")
