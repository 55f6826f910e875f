"""Around a post: part N of M, the previous and next published parts, and related posts."""

import datetime
import re

import pytest

from articles.models import Post, Series
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

TOP_8 = "/posts/top-8-python-machine-learning-libraries/"
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"


def nav(html):
    match = re.search(r'<nav class="series-nav".*?</nav>', html, re.S)
    return match.group(0) if match else ""


def test_the_first_part_links_only_forward(client, imported_series):
    html = client.get(TOP_8).content.decode()
    assert "Top Python Libraries · Part 1 of 4" in html
    links = nav(html)
    assert 'rel="next" href="/posts/top-13-python-deep-learning-libraries/"' in links and 'rel="prev"' not in links


def test_the_last_published_part_links_back_and_names_the_coming_part(client, imported_series):
    html = client.get(TOP_13).content.decode()
    assert "Part 2 of 4" in html
    links = nav(html)
    assert 'rel="prev" href="/posts/top-8-python-machine-learning-libraries/"' in links
    assert 'rel="next"' not in links
    assert "Top X Python Reinforcement Learning and evolutionary computation Libraries" in links
    assert "Coming soon" in links


def series_of(*statuses):
    series = Series.objects.create(title="A series", slug="a-series")
    return [
        PostFactory(
            series=series,
            series_position=position,
            status=status,
            published_on=datetime.date(2020, 1, position) if status == "published" else None,
        )
        for position, status in enumerate(statuses, start=1)
    ]


def test_navigation_skips_coming_soon_parts_between_published_ones(client):
    first, coming, third, last = series_of("published", "coming_soon", "published", "published")
    html = client.get(third.get_absolute_url()).content.decode()
    assert "Part 3 of 4" in html
    assert f'rel="prev" href="{first.get_absolute_url()}"' in nav(html)
    assert f'rel="next" href="{last.get_absolute_url()}"' in nav(html)
    assert f'rel="next" href="{third.get_absolute_url()}"' in nav(client.get(first.get_absolute_url()).content.decode())
    final = nav(client.get(last.get_absolute_url()).content.decode())
    assert 'rel="next"' not in final and "Coming soon" not in final


def test_a_draft_part_is_neither_counted_nor_linked(client):
    first, draft, last = series_of("published", "draft", "published")
    html = client.get(last.get_absolute_url()).content.decode()
    assert "Part 2 of 2" in html and draft.get_absolute_url() not in html


def test_related_posts_share_tags_or_libraries_and_are_published(client):
    tag, library = TagFactory(), LibraryFactory()
    post = PostFactory(title="The post")
    post.tags.add(tag)
    ListEntryFactory(post=post, library=library)
    by_library = PostFactory(title="Shares a library", published_on=datetime.date(2018, 1, 1))
    ListEntryFactory(post=by_library, library=library)
    by_tag = PostFactory(title="Shares a tag")
    by_tag.tags.add(tag)
    draft = PostFactory(title="A draft sharing both", status=Post.Status.DRAFT)
    draft.tags.add(tag)
    PostFactory(title="Shares nothing")
    html = client.get(post.get_absolute_url()).content.decode()
    related = html.split('id="related"')[1]
    assert related.index("Shares a library") < related.index("Shares a tag")
    assert "A draft sharing both" not in related and "Shares nothing" not in related and "The post</a>" not in related
    lonely = PostFactory(title="Alone")
    assert 'id="related"' not in client.get(lonely.get_absolute_url()).content.decode()


def titles(html):
    return re.findall(r'<li><a href="/posts/[^"]+/">([^<]+)</a>', html.split('class="post-list"')[1].split("</ul>")[0])


def test_the_archive_lists_months_and_pages_through_a_year_newest_first(client):
    for day in range(1, 13):
        PostFactory(title=f"Post {day:02}", published_on=datetime.date(2019, 3, day))
    PostFactory(title="An older one", published_on=datetime.date(2018, 11, 2))
    PostFactory(title="A draft", status=Post.Status.DRAFT, published_on=datetime.date(2019, 4, 1))
    index = client.get("/archive/").content.decode()
    assert 'href="/archive/2019/03/"' in index and 'href="/archive/2018/11/"' in index
    assert "/archive/2019/04/" not in index  # only a draft that month
    first = client.get("/archive/2019/").content.decode()
    assert titles(first) == [f"Post {day:02}" for day in range(12, 2, -1)]
    assert 'rel="next" href="?page=2"' in first
    assert titles(client.get("/archive/2019/?page=2").content.decode()) == ["Post 02", "Post 01"]
    assert titles(client.get("/archive/2018/11/").content.decode()) == ["An older one"]
    assert client.get("/archive/2019/04/").status_code == 404
    assert client.get("/archive/2019/?page=9").status_code == 404


def test_tag_pages_are_paginated(client):
    tag = TagFactory(name="many", slug="many")
    for day in range(1, 13):
        PostFactory(title=f"Tagged {day:02}", published_on=datetime.date(2019, 3, day)).tags.add(tag)
    first = client.get("/tags/many/").content.decode()
    assert titles(first)[0] == "Tagged 12" and len(titles(first)) == 10
    assert titles(client.get("/tags/many/?page=2").content.decode()) == ["Tagged 02", "Tagged 01"]
    assert client.get("/tags/many/?page=3").status_code == 404
    assert client.get("/tags/many/?page=x").status_code == 404
