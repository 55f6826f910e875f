"""A library's revisions in the admin: each save kept, compared and restored, and a form opened before someone
else's change (an editor's, or the refresh following a moved repository) refused rather than undoing it."""

import re

import pytest
from django.urls import reverse

from libraries.github import GitHubClient
from libraries.models import Library
from libraries.refresh import library_refresh
from tests.admin_forms import admin_change, admin_form_data
from tests.factories import LibraryFactory
from tests.libraries.github_standin import GitHubStandIn

pytestmark = pytest.mark.django_db


def change_url(library):
    return reverse("admin:libraries_library_change", args=[library.pk])


def test_each_save_is_kept_compared_and_restored_without_old_figures(editor_client):
    library = LibraryFactory(name="Chainer", description="A framework.", stars=5000)
    admin_change(editor_client, change_url(library), description="A flexible framework.")
    admin_change(editor_client, change_url(library), name="Chainer (retired)")
    Library.objects.filter(pk=library.pk).update(stars=5900)  # a refresh since

    history = editor_client.get(reverse("admin:libraries_library_history", args=[library.pk])).content.decode()
    revisions = [int(pk) for pk in re.findall(r'name="older" value="(\d+)"', history)]
    assert len(revisions) == 2 and "Changed Name." in history and "Changed Description." in history
    compare = editor_client.get(
        reverse("admin:libraries_library_revision_compare", args=[library.pk]),
        {"older": revisions[1], "newer": revisions[0]},
    ).content.decode()
    changed = re.findall(r'<tr class="changed">\s*<th scope="row">(\w+)', compare)
    assert changed == ["Name", "Aliases"]  # a renamed library keeps its former name as an alias
    assert "<ins>(retired)</ins>" in compare

    editor_client.post(reverse("admin:libraries_library_revision_restore", args=[library.pk, revisions[1]]))
    library.refresh_from_db()
    assert library.name == "Chainer" and library.description == "A flexible framework." and library.stars == 5900


def test_restoring_a_name_another_library_took_is_refused(editor_client):
    library = LibraryFactory(name="Caffe")
    admin_change(editor_client, change_url(library), name="Caffe 1")
    first = re.findall(
        r'name="older" value="(\d+)"',
        editor_client.get(reverse("admin:libraries_library_history", args=[library.pk])).content.decode(),
    )
    admin_change(editor_client, change_url(library), name="Caffe 2")
    LibraryFactory(name="Caffe 1 (other)")
    Library.objects.exclude(pk=library.pk).filter(name="Caffe 1 (other)").update(name="Caffe 1")
    response = editor_client.post(
        reverse("admin:libraries_library_revision_restore", args=[library.pk, first[0]]), follow=True
    )
    assert "Not restored:" in response.content.decode()
    library.refresh_from_db()
    assert library.name == "Caffe 2"


def test_a_form_opened_before_the_refresh_followed_a_move_does_not_move_it_back(editor_client):
    library = LibraryFactory(name="MXNet", github_owner="apache", github_repo="incubator-mxnet")
    page = editor_client.get(change_url(library)).content.decode()
    with GitHubStandIn() as github:
        github.add("apache/incubator-mxnet", stars=20000)
        github.rename("apache/incubator-mxnet", "apache/mxnet")
        library_refresh(library=library, client=GitHubClient(github.url, timeout=(1, 1)), run_id="run-1")
    library.refresh_from_db()
    assert library.full_name == "apache/mxnet"

    saved = editor_client.post(change_url(library), admin_form_data(page, "library_form", description="Deep learning."))
    assert saved.status_code == 302  # the editor left the repository alone: the refresh's move stays
    library.refresh_from_db()
    assert library.full_name == "apache/mxnet" and library.description == "Deep learning."


def test_a_field_both_changed_is_refused_and_what_was_typed_comes_back(editor_client, django_user_model):
    library = LibraryFactory(name="Keras", description="First words.")
    mine = editor_client.get(change_url(library)).content.decode()
    Library.objects.filter(pk=library.pk).update(description="Their words.", homepage="https://keras.io")

    refused = editor_client.post(change_url(library), admin_form_data(mine, "library_form", description="My words."))
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else changed Description since you opened this page" in text and "My words." in text
    library.refresh_from_db()
    assert library.description == "Their words."

    again = editor_client.post(change_url(library), admin_form_data(text, "library_form"))
    assert again.status_code == 302
    library.refresh_from_db()
    assert library.description == "My words." and library.homepage == "https://keras.io"
