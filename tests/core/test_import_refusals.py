"""Both importers under the same rules: every malformed file is refused in one line naming the file and line,
the command fails (exit status 1), and nothing is written — on SQLite and on PostgreSQL, whose columns are
the ones that used to answer with a database error."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import ListEntry, Post, Series, Tag
from libraries.models import Library, StatsSnapshot
from tests.conftest import CATALOGUE

ARTICLE = """---
title: Top 2 Python Test Libraries
date: 2019-01-05
author: Dan Clark
series: Top Python Libraries
tags: [python]
source: https://example.com/post
---

Intro, figures as of January 5th, 2019:

**1. Keras (Contributors – 10, Commits – 20, Stars – 30)**

Keras text.

**2. NewLib (Stars – 5)**

Text.
"""

CATALOGUE_TEXT = """- name: Brand New
  aliases: [brandnew]
  repository: brand/new
  homepage: https://brand.example.com
- name: Other New
  repository: other/new
"""

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8)
)


def replaced(old, new):
    return lambda text: text.replace(old, new, 1)


# (id, how the valid article becomes malformed (text → text, or bytes), the line named, words of the message)
ARTICLE_CASES = [
    ("nul-in-title", replaced("Test Libraries", "Test\x00Libraries"), 2, "NUL character"),
    ("escape-in-body", replaced("Keras text.", "Keras \x1b[31mtext."), 14, "control character"),
    ("del-in-name", replaced("2. NewLib", "2. New\x7fLib"), 16, "control character"),
    ("c1-control", replaced("Text.", "Te\x85xt."), 18, "control character"),
    ("title-too-long", replaced("Test Libraries", "T" * 201), 2, "title is longer than 200"),
    ("subtitle-too-long", replaced("author:", "subtitle: " + "s" * 301 + "\nauthor:"), 4, "subtitle is longer"),
    ("author-too-long", replaced("Dan Clark", "D" * 121), 4, "author is longer than 120"),
    ("series-too-long", replaced("series: Top", "series: " + "S" * 200 + " Top"), 5, "series is longer"),
    ("tag-too-long", replaced("[python]", "[" + "t" * 61 + "]"), 6, "cannot name a page"),
    ("source-too-long", replaced("/post", "/" + "p" * 500), 7, "longer than 500"),
    ("library-name-too-long", replaced("2. NewLib", "2. " + "N" * 121), 16, "longer than 120"),
    (
        "series-part-too-long",
        replaced("Intro,", "Top X Python " + "P" * 200 + " Libraries – coming soon\n\nIntro,"),
        10,
        "part's title is longer than 200",
    ),
    ("rank-over-smallint", replaced("2. NewLib", "32768. NewLib"), 16, "rank 32768 is not from 1 to 32767"),
    ("rank-zero", replaced("2. NewLib", "0. NewLib"), 16, "not from 1"),
    ("rank-of-5000-digits", replaced("2. NewLib", "9" * 5000 + ". NewLib"), 16, "not from 1"),
    ("figure-over-integer", replaced("Stars – 5", "Stars – 99,999,999,999"), 16, "implausibly large"),
    ("figure-of-5000-digits", replaced("Stars – 5", "Stars – " + "9" * 5000), 16, "implausibly large"),
    ("figure-not-a-number", replaced("Stars – 5", "Stars – lots"), 16, "not a number"),
    ("impossible-date", replaced("2019-01-05", "9999-99-99"), 3, "YAML cannot read"),
    ("date-not-a-date", replaced("2019-01-05", "someday"), 3, "not a date"),
    ("yaml-alias-bomb", replaced("author:", ALIAS_BOMB + "author:"), 4, "anchors and aliases"),
    ("yaml-python-tag", replaced("author:", "x: !!python/object/apply:os.system [ls]\nauthor:"), 4, "YAML"),
    ("yaml-invalid", replaced("tags: [python]", "tags: [python"), 7, "not valid YAML"),
    ("front-matter-a-list", lambda text: "---\n- title\n- date\n---\n" + text.split("---\n", 2)[2], 2, "key: value"),
    ("front-matter-unclosed", lambda text: text.replace("---\n\nIntro", "\nIntro", 1), 1, "never closed"),
    ("no-front-matter", lambda text: text.split("---\n", 2)[2], 1, "no front matter"),
    ("no-title", replaced("title: Top 2 Python Test Libraries\n", ""), 1, "no title"),
    ("rank-twice", replaced("2. NewLib", "1. NewLib"), 16, "rank 1 is used twice"),
    ("utf16", lambda text: text.encode("utf-16"), 1, "UTF-16"),
    (
        "latin-1",
        lambda text: text.replace("Keras text.", "Kéras text.").encode("latin-1", errors="replace"),
        14,
        "not UTF-8",
    ),
    ("binary", lambda text: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, 1, "not UTF-8"),
    ("nul-bytes", lambda text: b"\x00" * 4096, 1, "NUL character"),
    ("empty", lambda text: b"", None, "empty"),
    ("whitespace-only", lambda text: "\n \n\t\n", None, "empty"),
    ("over-the-size-cap", lambda text: text + ("More words. " * 100 + "\n\n") * 900, None, "over the import limit"),
]

CATALOGUE_CASES = [
    ("nul-in-name", replaced("Brand New", "Brand\x00New"), 1, "NUL character"),
    ("escape-in-alias", replaced("[brandnew]", "[brand\x1bnew]"), 2, "control character"),
    ("name-too-long", replaced("Other New", "O" * 121), 5, "name is longer than 120"),
    ("alias-too-long", replaced("[brandnew]", "[" + "a" * 121 + "]"), 2, "alias is longer than 120"),
    ("homepage-too-long", replaced("brand.example.com", "brand.example.com/" + "h" * 290), 4, "longer than 300"),
    ("homepage-javascript", replaced("https://brand.example.com", "javascript:alert(1)"), 4, "not an http(s)"),
    ("repository-not-owner-name", replaced("brand/new", "brand/new/../x"), 3, "is not 'owner/name'"),
    ("repository-too-long", replaced("brand/new", "brand/" + "n" * 101), 3, "is not 'owner/name'"),
    ("name-a-list", replaced("name: Other New", "name: [Other, New]"), 5, "must be text"),
    ("aliases-a-mapping", replaced("[brandnew]", "{a: b}"), 2, "aliases must be a list"),
    ("no-name", replaced("- name: Other New\n ", "-"), 5, "needs a name"),
    ("unknown-key", replaced("  homepage:", "  hompage:"), 4, "unknown key 'hompage'"),
    ("key-twice", replaced("  homepage:", "  repository: brand/new\n  homepage:"), 4, "repository is given twice"),
    ("listed-twice", replaced("Other New", "brand new"), 5, "listed twice (first on line 1)"),
    ("not-a-list", lambda text: "name: Brand New\n", 1, "expected a list"),
    ("yaml-alias-bomb", lambda text: "- &a {name: A}\n- *a\n", 1, "anchors and aliases"),
    ("yaml-invalid", replaced("[brandnew]", "[brandnew"), 3, "not valid YAML"),
    ("utf16", lambda text: text.encode("utf-16"), 1, "UTF-16"),
    ("latin-1", lambda text: text.replace("Other New", "Othér New").encode("latin-1"), 5, "not UTF-8"),
    ("binary", lambda text: bytes(range(128, 256)) * 4, 1, "not UTF-8"),
    ("empty", lambda text: b"", None, "empty"),
    ("over-the-size-cap", lambda text: text + "# padding\n" * 120_000, None, "over the import limit"),
]


def write(path: Path, malform, valid: str) -> Path:
    content = malform(valid)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def everything_stored():
    models = (Post, Series, Tag, Library, ListEntry, StatsSnapshot)
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models} | {
        "titles": sorted(Post.objects.values_list("title", flat=True)),
        "names": sorted(Library.objects.values_list("name", flat=True)),
    }


def assert_refused_in_one_line(errors: str, path: Path, line: int | None, words: str) -> None:
    where = f"{path}:{line}: " if line else f"{path}: "
    lines = errors.strip().splitlines()
    assert len(lines) == 1, errors
    assert lines[0].startswith(f"refused {where}"), errors
    assert words in lines[0], errors
    assert len(lines[0]) < 300, "the line quotes what it refuses at length"


@pytest.fixture
def catalogue(db):
    call_command("import_libraries", str(CATALOGUE), stdout=io.StringIO())


def test_the_valid_article_and_catalogue_import(catalogue, tmp_path):
    call_command("import_article", str(write(tmp_path / "2019-01-05-top-2.md", str, ARTICLE)), stdout=io.StringIO())
    call_command("import_libraries", str(write(tmp_path / "c.yaml", str, CATALOGUE_TEXT)), stdout=io.StringIO())
    assert Post.objects.get(slug="top-2").entries.count() == 2
    assert Library.objects.filter(name__in=["Brand New", "Other New"]).count() == 2


@pytest.mark.parametrize(
    ("malform", "line", "words"), [case[1:] for case in ARTICLE_CASES], ids=[c[0] for c in ARTICLE_CASES]
)
def test_a_malformed_article_is_refused_and_nothing_is_written(catalogue, tmp_path, malform, line, words):
    path = write(tmp_path / "2019-01-05-top-2.md", malform, ARTICLE)
    before, errors = everything_stored(), io.StringIO()

    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("import_article", str(path), stdout=io.StringIO(), stderr=errors)

    assert_refused_in_one_line(errors.getvalue(), path, line, words)
    assert everything_stored() == before


@pytest.mark.parametrize(
    ("malform", "line", "words"), [case[1:] for case in CATALOGUE_CASES], ids=[c[0] for c in CATALOGUE_CASES]
)
def test_a_malformed_catalogue_is_refused_and_nothing_is_written(catalogue, tmp_path, malform, line, words):
    path = write(tmp_path / "libraries.yaml", malform, CATALOGUE_TEXT)
    before, errors = everything_stored(), io.StringIO()

    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_libraries", str(path), stdout=io.StringIO(), stderr=errors)

    assert_refused_in_one_line(errors.getvalue(), path, line, words)
    assert everything_stored() == before


def test_the_size_cap_is_a_setting(catalogue, tmp_path, settings):
    path = write(tmp_path / "2019-01-05-top-2.md", str, ARTICLE)
    settings.IMPORT_MAX_BYTES = 200
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(path), stdout=io.StringIO(), stderr=errors)
    assert "over the import limit of 200 bytes" in errors.getvalue()


def test_a_file_saved_with_a_utf8_byte_order_mark_imports(catalogue, tmp_path):
    path = tmp_path / "2019-01-05-top-2.md"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    call_command("import_article", str(path), stdout=io.StringIO())
    assert Post.objects.get(slug="top-2").title == "Top 2 Python Test Libraries"


def test_one_refused_article_leaves_the_others_imported(catalogue, tmp_path):
    good = write(tmp_path / "2019-01-05-top-2.md", str, ARTICLE)
    bad = write(tmp_path / "2019-01-06-top-3.md", replaced("Dan Clark", "Dan\x00Clark"), ARTICLE)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_article", str(bad), str(good), stdout=io.StringIO(), stderr=errors)
    assert_refused_in_one_line(errors.getvalue(), bad, 4, "NUL")
    assert list(Post.objects.filter(slug__in=["top-2", "top-3"]).values_list("slug", flat=True)) == ["top-2"]


@pytest.mark.parametrize(
    ("command", "name", "content"),
    [
        ("import_article", "2019-01-05-top-2.md", ARTICLE.replace("Dan Clark", "Dan\x00Clark")),
        ("import_libraries", "libraries.yaml", CATALOGUE_TEXT.replace("Other New", "O" * 121)),
    ],
)
def test_the_command_exits_with_status_1_and_no_traceback(tmp_path, command, name, content):
    path = tmp_path / name
    path.write_text(content)
    # Refused before any query: an empty scratch database is enough.
    environment = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}"}
    finished = subprocess.run(
        [sys.executable, "manage.py", command, str(path)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 1
    assert f"refused {path}:" in finished.stderr and "Traceback" not in finished.stderr


def test_the_parsers_limits_are_the_columns_sizes():
    from articles.parsing import FIELD_LIMITS, MAX_RANK
    from libraries.catalogue_file import HOMEPAGE_MAX_LENGTH, NAME_MAX_LENGTH

    def size(model, name):
        return model._meta.get_field(name).max_length

    assert FIELD_LIMITS["title"] == size(Post, "title") == size(Series, "title")
    assert FIELD_LIMITS["subtitle"] == size(Post, "subtitle") and FIELD_LIMITS["author"] == size(Post, "author")
    assert FIELD_LIMITS["tag"] == size(Tag, "name") and FIELD_LIMITS["caption"] == size(Post, "figure_caption")
    assert size(Post, "source_url") == 500
    assert NAME_MAX_LENGTH == size(Library, "name") and HOMEPAGE_MAX_LENGTH == size(Library, "homepage")
    assert MAX_RANK == 32767  # PositiveSmallIntegerField's largest on every database Django supports
