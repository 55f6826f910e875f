"""Importing the shipped articles and catalogue: exact figures, series state, idempotency, refusals."""

import datetime
import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers import serialize

from articles.models import ListEntry, Post, Series, Tag
from libraries.models import Library, StatsSnapshot
from tests.conftest import CATALOGUE, TOP_8, TOP_13

pytestmark = pytest.mark.django_db

TOP_13_FIGURES = [
    ("TensorFlow", 1700, 42256, 112591),
    ("PyTorch", 806, 14022, 20243),
    ("Apache MXNet", 628, 8723, 15447),
    ("Theano", 329, 28033, 8536),
    ("Caffe", 270, 4152, 25927),
    ("fast.ai", 226, 2237, 8872),
    ("CNTK", 189, 15979, 15281),
    ("TFLearn", 118, 599, 8632),
    ("Lasagne", 64, 1157, 3534),
    ("nolearn", 14, 389, 909),
    ("Elephas", 13, 249, 1046),
    ("spark-deep-learning", 12, 83, 1131),
    ("Distributed Keras", 5, 1125, 523),
]


def series_state():
    """What a reader and an editor see of the series, independent of primary keys."""
    series = Series.objects.get()
    return [(p.series_position, p.title, p.slug, p.status) for p in series.posts.order_by("series_position", "title")]


def dump_everything():
    models = [Series, Post, Tag, Library, ListEntry, StatsSnapshot]
    return {model.__name__: serialize("json", model.objects.order_by("pk")) for model in models}


def test_shipped_articles_give_the_series_of_four_parts(imported_series):
    visible = [
        (p.series_position, p.title, p.status)
        for p in Series.objects.get().posts.in_series_plan().order_by("series_position")
    ]
    assert visible == [
        (1, "Top 8 Python Machine Learning Libraries", "published"),
        (2, "Top 13 Python Deep Learning Libraries", "published"),
        (3, "Top X Python Reinforcement Learning and evolutionary computation Libraries", "coming_soon"),
        (4, "Top X Python Data Science Libraries", "coming_soon"),
    ]
    retired = Post.objects.get(status=Post.Status.RETIRED)
    assert retired.title == "Top Python AI Libraries"
    assert retired.series_position is None


def test_shipped_articles_give_exact_entries(imported_series):
    assert Library.objects.count() == 21
    top_13 = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    assert top_13.figures_as_of == datetime.date(2018, 10, 23)
    entries = list(top_13.entries.select_related("library").order_by("rank"))
    assert [(e.library.name, e.contributors, e.commits, e.stars) for e in entries] == TOP_13_FIGURES
    assert [e.rank for e in entries] == list(range(1, 14))

    top_8 = Post.objects.get(slug="top-8-python-machine-learning-libraries")
    assert top_8.figures_as_of == datetime.date(2018, 10, 3)
    assert list(top_8.entries.order_by("rank").values_list("library__name", flat=True)) == [
        "scikit-learn",
        "Keras",
        "XGBoost",
        "StatsModels",
        "LightGBM",
        "CatBoost",
        "PyBrain",
        "Eli5",
    ]


def test_import_links_libraries_and_keeps_the_printed_figures_as_of_their_date(imported_series):
    tensorflow = Library.objects.get(name="TensorFlow")
    assert (tensorflow.github_owner, tensorflow.github_repo) == ("tensorflow", "tensorflow")
    entry = tensorflow.entries.get()
    assert entry.figures_as_of == datetime.date(2018, 10, 23)
    assert (entry.stars, entry.contributors, entry.commits) == (112591, 1700, 42256)
    assert ListEntry.objects.count() == 21
    assert not StatsSnapshot.objects.exists()  # snapshots are GitHub's figures; an import writes none
    assert set(Post.objects.get(slug="top-13-python-deep-learning-libraries").tags.values_list("name", flat=True)) == {
        "learning",
        "contributors",
        "libraries",
        "library",
        "deep",
    }


def test_importing_twice_changes_nothing(imported_series):
    before = dump_everything()
    call_command("import_libraries", str(CATALOGUE))
    call_command("import_article", str(TOP_8), str(TOP_13))
    assert dump_everything() == before


def test_reversed_import_order_gives_the_same_series(db):
    call_command("import_libraries", str(CATALOGUE))
    call_command("import_article", str(TOP_13))
    assert Post.objects.get(title="Top 8 Python Machine Learning Libraries").status == Post.Status.DRAFT
    call_command("import_article", str(TOP_8))
    reversed_state = series_state()

    for model in (StatsSnapshot, ListEntry, Post, Series):
        model.objects.all().delete()
    call_command("import_article", str(TOP_8), str(TOP_13))
    assert series_state() == reversed_state
    assert (
        2,
        "Top 13 Python Deep Learning Libraries",
        "top-13-python-deep-learning-libraries",
        "published",
    ) in reversed_state


def test_unknown_library_is_created_without_repository(db, tmp_path):
    path = tmp_path / "2019-01-05-top-1-python-oddities.md"
    path.write_text("---\ntitle: Top 1 Python Oddities\ndate: 2019-01-05\n---\n\n**1. Oddlib (Stars – 5)**\n\nOdd.\n")
    call_command("import_article", str(path))
    oddlib = Library.objects.get(name="Oddlib")
    assert not oddlib.has_repository
    assert list(Library.objects.without_repository()) == [oddlib]


def test_alias_matches_case_insensitively(db, tmp_path):
    call_command("import_libraries", str(CATALOGUE))
    path = tmp_path / "2019-01-05-top-1-python-aliases.md"
    path.write_text("---\ntitle: Top 1 Python Aliases\ndate: 2019-01-05\n---\n\n**1. SKLEARN (Stars – 5)**\n\nx\n")
    call_command("import_article", str(path))
    assert ListEntry.objects.get().library.name == "scikit-learn"
    assert Library.objects.count() == 21


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("No front matter here.\n", ":1: no front matter"),
        ("---\ntitle: Bad\ndate: someday\n---\nx\n", ":3: the date 'someday' is not a date"),
        (
            "---\ntitle: Bad\ndate: 2019-01-01\n---\n\n**1. a (Stars – 1)**\n\nx\n\n**1. b (Stars – 2)**\n",
            ":10: rank 1",
        ),
        ("---\ntitle: Bad\ndate: 2019-01-01\n---\n\n**1. a (Stars – many)**\n\nx\n", ":6: Stars is not a number"),
    ],
)
def test_malformed_file_is_refused_whole_and_others_still_import(db, tmp_path, capsys, text, message):
    bad = tmp_path / "2019-01-01-bad.md"
    bad.write_text(text)
    good = tmp_path / TOP_8.name
    shutil.copy(TOP_8, good)
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_article", str(bad), str(good))
    assert f"{bad}{message}" in capsys.readouterr().err
    assert not Post.objects.filter(slug="bad").exists()
    assert Post.objects.get(slug="top-8-python-machine-learning-libraries").entries.count() == 8
    assert Library.objects.filter(name__in=["a", "b"]).count() == 0


def test_catalogue_rerun_updates_never_duplicates(db, tmp_path):
    call_command("import_libraries", str(CATALOGUE))
    changed = tmp_path / "libraries.yaml"
    changed.write_text("- name: TensorFlow\n  aliases: [TF]\n  homepage: https://www.tensorflow.org\n")
    call_command("import_libraries", str(changed))
    tensorflow = Library.objects.get(name="TensorFlow")
    assert Library.objects.count() == 21
    assert tensorflow.aliases == ["TF"]
    assert tensorflow.homepage == "https://www.tensorflow.org"
    assert tensorflow.full_name == "tensorflow/tensorflow"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: not a list\n", "expected a list"),
        ("- aliases: [x]\n", "needs a name"),
        ("- name: Foo\n  repository: not a repository\n", "is not 'owner/name'"),
        ("- name: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_catalogue_is_refused_and_keeps_what_was_there(db, tmp_path, text, message):
    call_command("import_libraries", str(CATALOGUE))
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: Brand New\n" + text if text.startswith("- name: Foo") else text)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_libraries", str(bad), stderr=errors)
    assert message in errors.getvalue()
    assert Library.objects.count() == 21
    assert not Library.objects.filter(name="Brand New").exists()


def test_a_similar_title_never_overwrites_a_written_post(imported_series, tmp_path):
    newer = tmp_path / "2019-10-01-top-9-python-machine-learning-libraries.md"
    newer.write_text(
        "---\ntitle: Top 9 Python Machine Learning Libraries\ndate: 2019-10-01\nseries: Top Python Libraries\n"
        "---\n\n**1. Keras (Stars – 50,000)**\n\nStill here.\n"
    )
    call_command("import_article", str(newer))
    top_8 = Post.objects.get(slug="top-8-python-machine-learning-libraries")
    assert top_8.entries.count() == 8 and top_8.title == "Top 8 Python Machine Learning Libraries"
    assert Post.objects.get(slug="top-9-python-machine-learning-libraries").entries.count() == 1


def test_an_alias_of_a_library_already_ranked_is_refused_with_its_line(db, tmp_path, capsys):
    call_command("import_libraries", str(CATALOGUE))
    path = tmp_path / "2019-01-05-top-2-python-twins.md"
    path.write_text(
        "---\ntitle: Top 2 Python Twins\ndate: 2019-01-05\n---\n\n"
        "**1. scikit-learn (Stars – 5)**\n\nx\n\n**2. sklearn (Stars – 6)**\n\ny\n"
    )
    with pytest.raises(CommandError):
        call_command("import_article", str(path))
    assert f"{path}:10: sklearn is scikit-learn, already ranked on line 6" in capsys.readouterr().err
    assert not Post.objects.filter(slug="top-2-python-twins").exists()


def test_unicode_tags_get_a_page(client, db, tmp_path):
    path = tmp_path / "2019-01-05-top-1-python-tags.md"
    path.write_text(
        "---\ntitle: Top 1 Python Tags\ndate: 2019-01-05\ntags: [机器学习]\n---\n\n**1. a (Stars – 1)**\n\nx\n"
    )
    call_command("import_article", str(path))
    tag = Tag.objects.get(name="机器学习")
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert "Top 1 Python Tags" in response.content.decode()
    assert client.get(Post.objects.get(slug="top-1-python-tags").get_absolute_url()).status_code == 200
