"""The feeds: Atom and RSS, site-wide and per series, valid XML of published posts with their full content."""

import datetime
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Post, Series
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content).findall("channel/item")


def test_atom_holds_the_full_posts_with_their_own_dates_and_stable_ids(client, imported_series):
    PostFactory(status=Post.Status.DRAFT, title="Draft in progress")
    PostFactory(published_on=timezone.localdate() + datetime.timedelta(days=3), title="Scheduled")
    entries = atom_entries(client, "/feed/")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Top 13 Python Deep Learning Libraries",
        "Top 8 Python Machine Learning Libraries",
    ]
    top_13 = entries[0]
    assert top_13.find(f"{ATOM}published").text.startswith("2018-11-02")
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    assert top_13.find(f"{ATOM}id").text == f"tag:127.0.0.1,2018-11-02:post-{post.pk}"
    content = top_13.find(f"{ATOM}summary").text
    assert "TensorFlow" in content and "Contributors 1,700 · Commits 42,256 · Stars 112,591" in content
    assert "Distributed Keras" in content and "[series]" not in content


def test_rss_holds_the_same_posts(client, imported_series):
    items = rss_items(client, "/feed/rss/")
    assert [i.find("title").text for i in items][0] == "Top 13 Python Deep Learning Libraries"
    assert items[0].find("pubDate").text.startswith("Fri, 02 Nov 2018")
    guid = items[0].find("guid")
    assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:127.0.0.1,2018-11-02:post-")
    assert "Stars 112,591" in items[0].find("description").text


def test_a_series_feed_holds_that_series_only(client, imported_series):
    other = Series.objects.create(title="Another series", slug="another")
    PostFactory(series=other, title="Elsewhere")
    series = Post.objects.get(slug="top-13-python-deep-learning-libraries").series
    titles = [e.find(f"{ATOM}title").text for e in atom_entries(client, f"/series/{series.slug}/feed/")]
    assert "Elsewhere" not in titles and len(titles) == 2
    assert [i.find("title").text for i in rss_items(client, "/series/another/feed/rss/")] == ["Elsewhere"]
    assert client.get("/series/no-such-series/feed/").status_code == 404


def test_feeds_name_a_stylesheet_and_every_page_advertises_them(client, imported_series):
    for url in ("/feed/rss/", "/feed/"):
        xml = client.get(url).content.decode()
        assert '<?xml-stylesheet href="/static/feeds/feed.xsl" media="screen" type="text/xsl"?>' in xml
    ElementTree.parse(Path(__file__).resolve().parents[2] / "static" / "feeds" / "feed.xsl")  # well-formed
    html = client.get("/posts/top-13-python-deep-learning-libraries/").content.decode()
    assert 'type="application/atom+xml" title="Top Python Libraries (Atom)" href="/feed/"' in html
    assert 'type="application/rss+xml" title="Top Python Libraries (RSS)" href="/feed/rss/"' in html
    series = Post.objects.get(slug="top-13-python-deep-learning-libraries").series
    assert f'type="application/atom+xml" title="{series.title} (Atom)" href="/series/{series.slug}/feed/"' in html
    assert f'type="application/rss+xml" title="{series.title} (RSS)" href="/series/{series.slug}/feed/rss/"' in html
    assert "/series/" not in client.get("/libraries/").content.decode().split("</head>")[0]  # a post's own
