"""A backup of the site's content restores into a migrated database, every table as it was, with nothing to clear
by hand; a backup that cannot be read changes nothing."""

import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Comment, Post, PostRevision, Subscription
from core.backups import LEFT_OUT
from libraries.models import Library
from tests.admin_forms import admin_change
from tests.factories import CommentFactory, LibraryFactory, StatsSnapshotFactory

pytestmark = pytest.mark.django_db


def content_tables() -> dict[str, list]:
    """Every table a backup holds, row by row, with foreign keys by natural key where a model has one."""
    left_out = {entry for entry in LEFT_OUT if "." not in entry}
    tables = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in left_out or label in LEFT_OUT or not model._meta.managed:
            continue
        rows = serializers.serialize("json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True)
        tables[label] = json.loads(rows)
    return tables


@pytest.fixture
def content(imported_series, editor_client):
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    admin_change(editor_client, reverse("admin:articles_post_change", args=[post.pk]), subtitle="A draft")
    CommentFactory(post=post, status=Comment.Status.APPROVED)
    Subscription.objects.create(email="ada@example.org", part=Post.objects.get(status="coming_soon", series_position=3))
    StatsSnapshotFactory(library=Library.objects.get(name="TensorFlow"), stars=190000)
    return post


def test_a_backup_restores_every_table_as_it_was(content, tmp_path):
    before = content_tables()
    assert PostRevision.objects.filter(is_draft=True).exists() and Group.objects.filter(name="Editors").exists()
    assert all(before[table] for table in ("articles.post", "articles.listentry", "reversion.version", "auth.group"))
    backup = tmp_path / "backup.json"
    call_command("content_backup", str(backup), stdout=io.StringIO())

    # What happened since: restoring replaces it, rows the migrations made included.
    Post.objects.filter(pk=content.pk).delete()
    LibraryFactory(name="Made after the backup")
    Group.objects.filter(name="Editors").update(name="Renamed")
    out = io.StringIO()
    call_command("content_restore", str(backup), "--yes", stdout=out)

    assert "Restored the site's content" in out.getvalue()
    after = content_tables()
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, table


@pytest.mark.parametrize("written", ["{not json", '[{"model": "nowhere.nothing", "pk": 1, "fields": {}}]'])
def test_a_backup_that_cannot_be_restored_changes_nothing(content, tmp_path, written):
    before = content_tables()
    backup = tmp_path / "broken.json"
    backup.write_text(written)
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("content_restore", str(backup), "--yes")
    assert content_tables() == before


def test_a_backup_round_trips_into_a_freshly_migrated_database(tmp_path):
    """As an operator does it: two databases of their own, the second only migrated, then restored."""
    import os
    import subprocess
    import sys

    from tests.conftest import CATALOGUE, TOP_8, TOP_13

    def manage(database: str, *arguments: str) -> str:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / database}",
        }
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments], env=environment, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("site.sqlite3", "migrate", "--noinput")
    manage("site.sqlite3", "import_libraries", str(CATALOGUE))
    manage("site.sqlite3", "import_article", str(TOP_8), str(TOP_13))
    manage("site.sqlite3", "content_backup", str(tmp_path / "backup.json"))
    manage("new.sqlite3", "migrate", "--noinput")
    assert "Restored" in manage("new.sqlite3", "content_restore", str(tmp_path / "backup.json"), "--yes")

    def everything(database):
        left_out = ["contenttypes", "auth.permission", "django_celery_beat.periodictasks"]
        return json.loads(manage(database, "dumpdata", "--natural-foreign", *(f"--exclude={x}" for x in left_out)))

    assert everything("new.sqlite3") == everything("site.sqlite3")
