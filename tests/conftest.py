"""Fixtures shared by every test."""

from pathlib import Path

import pytest
from django.core.management import call_command

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOP_8 = CONTENT_DIR / "2018-10-03-top-8-python-machine-learning-libraries.md"
TOP_13 = CONTENT_DIR / "2018-11-02-top-13-python-deep-learning-libraries.md"
CATALOGUE = CONTENT_DIR / "libraries.yaml"


@pytest.fixture
def imported_series(db):
    """The shipped catalogue and both articles, imported the way `make run` does."""
    call_command("import_libraries", str(CATALOGUE), stdout=None)
    call_command("import_article", str(TOP_8), str(TOP_13))


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
