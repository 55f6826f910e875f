"""The post's catalog (its contents): imported from `catalog:`, on by default for list posts, and every link
lands on an anchor of the page."""

import re

import pytest
from django.core.management import call_command

from articles.front_matter import ArticleFormatError
from articles.models import Post
from articles.parsing import parse_article

pytestmark = pytest.mark.django_db
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"
POST = (
    "---\ntitle: Top 2 Python Things\ndate: 2019-05-01\n{flag}---\n\nIntro.\n\n"
    "**1. Keras (Stars – 5)**\n\nOne.\n\n**2. Theano (Stars – 4)**\n\nTwo.\n"
)


@pytest.mark.parametrize(("flag", "expected"), [("", None), ("catalog: true\n", True), ("catalog: false\n", False)])
def test_the_front_matter_flag_is_read(flag, expected):
    assert parse_article(POST.format(flag=flag), path="post.md").catalog is expected


def test_a_flag_that_is_not_true_or_false_is_refused_with_its_line():
    with pytest.raises(ArticleFormatError, match=r"post.md:4: catalog must be true or false, not 'yes please'"):
        parse_article(POST.format(flag="catalog: yes please\n"), path="post.md")


def test_every_catalog_link_lands_on_an_anchor_of_the_page(client, imported_series):
    html = client.get(TOP_13).content.decode()
    aside = re.search(r'<nav class="catalog catalog-aside".*?</nav>', html, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', aside)
    assert [t for t in targets if t.startswith("rank-")] == [f"rank-{rank}" for rank in range(1, 14)]
    assert ">1. TensorFlow</a>" in aside and ">13. Distributed Keras</a>" in aside
    for target in targets:
        assert f'id="{target}"' in html, target
    assert '<details class="catalog catalog-details"><summary>Contents</summary>' in html  # a phone's


def test_a_post_without_a_catalog_has_none(client, imported_series, tmp_path):
    path = tmp_path / "2019-05-01-top-2-python-things.md"
    path.write_text(POST.format(flag="catalog: false\n"))
    call_command("import_article", str(path))
    assert Post.objects.get(slug="top-2-python-things").catalog is False
    html = client.get("/posts/top-2-python-things/").content.decode()
    assert '<nav class="catalog' not in html and '<details class="catalog' not in html


def test_a_list_post_gets_a_catalog_when_its_front_matter_says_nothing(imported_series, tmp_path):
    path = tmp_path / "2019-05-01-top-2-python-things.md"
    path.write_text(POST.format(flag=""))
    call_command("import_article", str(path))
    assert Post.objects.get(slug="top-2-python-things").catalog is True
