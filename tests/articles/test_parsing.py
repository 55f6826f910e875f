"""The article parser: the shipped posts, every entry form the series uses, and every malformed case."""

import datetime

import pytest

from articles.parsing import SERIES_MARKER, ArticleFormatError, parse_article, parse_article_file, parse_as_of_date
from tests.conftest import TOP_8, TOP_13

FRONT = """---
layout: post
catalog: true
title: Top 3 Python Testing Libraries
date: 2019-01-05
author: Dan Clark
---
"""


def article(body: str, front: str = FRONT):
    return parse_article(front + body, path="post.md")


def test_top_13_entries_figures_and_order():
    parsed = parse_article_file(TOP_13)
    assert [e.rank for e in parsed.entries] == list(range(1, 14))
    first, last = parsed.entries[0], parsed.entries[-1]
    assert (first.name, first.contributors, first.commits, first.stars) == ("TensorFlow", 1700, 42256, 112591)
    assert (last.name, last.contributors, last.commits, last.stars) == ("Distributed Keras", 5, 1125, 523)
    assert parsed.figures_as_of == datetime.date(2018, 10, 23)
    assert parsed.published_on == datetime.date(2018, 11, 2)


def test_top_13_attribution_subtitle_becomes_the_source():
    parsed = parse_article_file(TOP_13)
    assert parsed.subtitle == ""
    assert parsed.source_url.startswith("http://feedproxy.google.com/")
    assert parsed.source_url.endswith("top-python-deep-learning-libraries.html")


def test_top_13_descriptions_keep_lists_and_colons():
    entries = {e.name: e for e in parse_article_file(TOP_13).entries}
    assert "- Tensor computation (like NumPy) with strong GPU acceleration" in entries["PyTorch"].description
    assert entries["PyTorch"].description.endswith("when needed.”")
    assert entries["Elephas"].description.endswith("including:")
    assert "massive datasets.”" in entries["spark-deep-learning"].description


def test_last_description_stops_before_the_closing():
    parsed = parse_article_file(TOP_13)
    assert parsed.entries[-1].description.endswith("focus on research.”")
    assert parsed.closing.startswith("Keep an eye out for the next part of this series")
    assert "Related" not in parsed.closing


def test_prose_drops_plan_image_caption_and_list_lead_in():
    parsed = parse_article_file(TOP_13)
    assert "feedproxy.google.com/images" not in parsed.body
    assert "![" not in parsed.body
    assert "Fig. 1" not in parsed.body
    assert "COMING SOON" not in parsed.body
    assert "as of October" not in parsed.body
    assert parsed.body.count(SERIES_MARKER) == 1
    assert parsed.body.startswith("Python continues to lead the way")
    assert parsed.figure_caption.startswith("Fig. 1: Top 13 Python Deep Learning Libraries")


def test_series_plans_of_both_posts():
    plan_13 = parse_article_file(TOP_13).plan
    assert [(p.title, p.coming_soon, p.is_this_post) for p in plan_13] == [
        ("Top 8 Python Machine Learning Libraries", False, False),
        ("Top 13 Python Deep Learning Libraries", False, True),
        ("Top X Python Reinforcement Learning and evolutionary computation Libraries", True, False),
        ("Top X Python Data Science Libraries", True, False),
    ]
    plan_8 = parse_article_file(TOP_8).plan
    assert [p.title for p in plan_8][1] == "Top Python AI Libraries"
    assert parse_article_file(TOP_8).figures_as_of == datetime.date(2018, 10, 3)


@pytest.mark.parametrize(
    "heading",
    [
        "**1. pytest (Contributors – 1,175, Commits — 23301, Stars - 30,867)**",
        "**1.** pytest (Contributors: 1175, Commits: 23,301, Stars: 30867)",
        "**1. pytest** (Contributors – 1175, Commits – 23301, Stars – 30867)",
    ],
)
def test_entry_heading_forms(heading):
    entry = article(f"{heading}\n\nThe test runner.\n").entries[0]
    assert (entry.rank, entry.name, entry.contributors, entry.commits, entry.stars) == (
        1,
        "pytest",
        1175,
        23301,
        30867,
    )
    assert entry.description == "The test runner."


def test_missing_figure_is_none_and_github_link_names_repository():
    parsed = article(
        "**1. [hypothesis](https://github.com/HypothesisWorks/hypothesis) (Stars – 7,000)**\n\nProperty tests.\n\n"
        "**2. nose (Commits – 10)**\n\nSee github.com/nose-devs/nose2 for its successor.\n"
    )
    first, second = parsed.entries
    assert (first.name, first.contributors, first.commits, first.stars) == ("hypothesis", None, None, 7000)
    assert first.repository == ("HypothesisWorks", "hypothesis")
    assert second.repository == ("nose-devs", "nose2")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("October 23rd, 2018", datetime.date(2018, 10, 23)),
        ("Dec 16, 2018", datetime.date(2018, 12, 16)),
        ("2018-10-23", datetime.date(2018, 10, 23)),
        ("1st March 2019", datetime.date(2019, 3, 1)),
        ("Octember 45th, 2018", None),
    ],
)
def test_as_of_date_forms(raw, expected):
    assert parse_as_of_date(raw) == expected


def test_no_front_matter_is_refused_with_line():
    with pytest.raises(ArticleFormatError) as error:
        parse_article("# Just a heading\n", path="bad.md")
    assert str(error.value).startswith("bad.md:1:")
    assert "front matter" in str(error.value)


def test_bad_date_is_refused_naming_the_line():
    front = FRONT.replace("date: 2019-01-05", "date: the fifth of never")
    with pytest.raises(ArticleFormatError) as error:
        article("Intro.\n", front=front)
    assert str(error.value).startswith("post.md:5:")
    assert "not a date" in str(error.value)


def test_bad_as_of_date_is_refused_naming_the_line():
    with pytest.raises(ArticleFormatError) as error:
        article("Intro.\n\nFigures correct as of Octember 45th, 2018:\n\n**1. a (Stars – 1)**\n\nx\n")
    assert str(error.value).startswith("post.md:10:")


def test_two_entries_with_one_rank_are_refused():
    with pytest.raises(ArticleFormatError) as error:
        article("**1. a (Stars – 1)**\n\nx\n\n**1. b (Stars – 2)**\n\ny\n")
    assert str(error.value).startswith("post.md:12:")
    assert "rank 1 is used twice" in str(error.value)


def test_figure_that_is_not_a_number_is_refused():
    with pytest.raises(ArticleFormatError) as error:
        article("**1. a (Contributors – 3, Stars – lots)**\n\nx\n")
    assert str(error.value).startswith("post.md:8:")
    assert "Stars is not a number: 'lots'" in str(error.value)


def test_as_of_without_a_date_is_prose_not_an_error():
    parsed = article("As of now, 3 of them are archived.\n\nCorrect as of 2019-01-02:\n\n**1. a (Stars – 1)**\n\nx\n")
    assert parsed.figures_as_of == datetime.date(2019, 1, 2)
    assert parsed.body == "As of now, 3 of them are archived."


@pytest.mark.parametrize(
    ("front_line", "message"),
    [
        ("source: javascript:alert(document.cookie)", r"post.md:6: the source .* is not an http\(s\) address"),
        ('subtitle: "Reposted from: javascript:alert(1)"', None),
        ("title: " + "T" * 201, "title is longer than 200"),
        ('tags: ["-"]', "cannot name a page"),
    ],
)
def test_hostile_front_matter_is_refused_with_its_line(front_line, message):
    front = (
        FRONT.replace("author: Dan Clark", front_line)
        if not front_line.startswith("title")
        else FRONT.replace("title: Top 3 Python Testing Libraries", front_line)
    )
    if message is None:  # not an attribution: it stays a plain subtitle, rendered as text
        parsed = article("Intro.\n", front=front)
        assert parsed.source_url == ""
        return
    with pytest.raises(ArticleFormatError, match=message):
        article("Intro.\n", front=front)


def test_tags_as_a_string_are_split_and_unicode_tags_kept():
    front = FRONT.replace("author: Dan Clark", "tags: python 机器学习")
    assert article("Intro.\n", front=front).tags == ["python", "机器学习"]


def test_file_name_becomes_a_clean_slug():
    parsed = parse_article(FRONT + "Intro.\n", path="content/2019-03-01-python3.7-News.md")
    assert parsed.slug == "python37-news"
    with pytest.raises(ArticleFormatError, match="no address"):
        parse_article(FRONT + "Intro.\n", path="content/2019-03-01-!!!.md")


def test_library_ranked_twice_and_huge_figures_are_refused():
    with pytest.raises(ArticleFormatError, match=r"post.md:12: keras is ranked twice \(first on line 8\)"):
        article("**1. Keras (Stars – 1)**\n\nx\n\n**2. keras (Stars – 2)**\n\ny\n")
    with pytest.raises(ArticleFormatError, match="implausibly large"):
        article("**1. Keras (Commits – 99,999,999,999)**\n\nx\n")


def test_as_of_iso_date_with_one_digit_parts():
    assert parse_as_of_date("2018-1-5") == datetime.date(2018, 1, 5)


def test_impossible_front_matter_date_and_control_characters_in_tags_are_refused():
    with pytest.raises(ArticleFormatError, match="post.md:5: the front matter holds a value YAML cannot read"):
        article("Intro.\n", front=FRONT.replace("date: 2019-01-05", "date: 9999-99-99"))
    with pytest.raises(ArticleFormatError, match="cannot name a page"):
        article("Intro.\n", front=FRONT.replace("author: Dan Clark", 'tags: ["a\\0b"]'))


def test_a_github_link_that_is_no_repository_name_is_ignored():
    parsed = article("**1. Sneaky (Stars – 1)** github.com/owner/..\n\nx\n")
    assert parsed.entries[0].repository is None
