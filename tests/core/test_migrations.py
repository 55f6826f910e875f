"""Migrations that move data: run from the state before them on the test database, with rows in it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [("articles", "0007_imported_hash"), ("libraries", "0009_failing_library_backs_off")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_list_entries_move_to_articles_keeping_rows_and_permissions_and_article_snapshots_go():
    old = migrate(BEFORE_THE_MOVE)
    post = old.get_model("articles", "Post").objects.create(
        title="Top 2 Things",
        slug="top-2-things",
        author="A",
        body="B",
        status="published",
        published_on=datetime.date(2018, 11, 2),
    )
    library = old.get_model("libraries", "Library").objects.create(name="Keras", slug="keras")
    old.get_model("libraries", "ListEntry").objects.create(post=post, library=library, rank=1, stars=30000)
    Snapshot = old.get_model("libraries", "StatsSnapshot")
    taken_at = datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC)
    Snapshot.objects.create(library=library, taken_at=taken_at, source="article", post=post, stars=30000)
    Snapshot.objects.create(library=library, taken_at=taken_at, source="github", run_id="run-1", stars=61500)
    change_entries = old.get_model("auth", "Permission").objects.get(
        content_type__app_label="libraries", codename="change_listentry"
    )
    old.get_model("auth", "Group").objects.create(name="Copy editors").permissions.add(change_entries)

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    entry = new.get_model("articles", "ListEntry").objects.get()
    assert (entry.post.slug, entry.library.name, entry.rank, entry.stars) == ("top-2-things", "Keras", 1, 30000)
    assert list(new.get_model("libraries", "StatsSnapshot").objects.values_list("run_id", "stars")) == [
        ("run-1", 61500)
    ]
    group = new.get_model("auth", "Group").objects.get(name="Copy editors")
    moved = group.permissions.get()
    assert (moved.content_type.app_label, moved.codename) == ("articles", "change_listentry")
    ContentType = new.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="libraries", model="listentry").exists()
