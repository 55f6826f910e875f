"""What every page tells search engines and share cards: a canonical address, a description; for posts,
OpenGraph and Twitter cards and JSON-LD Article data."""

import json
import re

import pytest

from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"
SITE = "http://127.0.0.1:8000"


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def canonical(html):
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", f"{SITE}/"),
        (TOP_13 + "?sort=stars_today&utm_source=x", f"{SITE}{TOP_13}"),
        ("/libraries/?sort=stars", f"{SITE}/libraries/"),
        ("/libraries/tensorflow/", f"{SITE}/libraries/tensorflow/"),
        ("/tags/learning/", f"{SITE}/tags/learning/"),
        ("/archive/2018/?page=1", f"{SITE}/archive/2018/"),
        ("/feeds/", f"{SITE}/feeds/"),
    ],
)
def test_every_page_has_a_canonical_address_and_a_description(client, imported_series, url, expected):
    html = client.get(url).content.decode()
    assert canonical(html) == expected
    assert len(meta(html, "name", "description")) > 20


def test_a_post_has_share_cards_and_its_own_description(client, imported_series):
    html = client.get(TOP_13).content.decode()
    description = meta(html, "name", "description")
    assert description.startswith("Python continues to lead the way when it comes to Machine Learning")
    assert len(description) <= 160 and "**" not in description
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == "Top 13 Python Deep Learning Libraries"
    assert meta(html, "property", "og:url") == f"{SITE}{TOP_13}"
    assert meta(html, "property", "article:published_time") == "2018-11-02"
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "property", "og:description") == description


def test_a_post_has_json_ld_article_data(client, imported_series):
    html = client.get(TOP_13).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Article" and data["headline"] == "Top 13 Python Deep Learning Libraries"
    assert data["author"] == {"@type": "Person", "name": "Dan Clark"}
    assert data["datePublished"] == "2018-11-02" and data["url"] == f"{SITE}{TOP_13}"
    assert data["publisher"]["name"] == "Top Python Libraries"
    assert data["publisher"]["logo"]["url"] == f"{SITE}/static/icons/icon-512.png"


def test_a_hostile_title_cannot_close_the_data_script(client):
    post = PostFactory(title="</script><script>alert(1)</script>", subtitle="a & b <i>")
    html = client.get(post.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw and json.loads(raw)["headline"] == "</script><script>alert(1)</script>"


def test_icons_are_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html
    assert '<link rel="manifest" href="/static/site.webmanifest">' in html


def test_a_page_parameter_the_page_does_not_read_never_reaches_its_canonical_address(client, imported_series):
    assert canonical(client.get("/libraries/?page=2").content.decode()) == f"{SITE}/libraries/"
    assert canonical(client.get("/libraries/").content.decode()) == f"{SITE}/libraries/"  # the stored page too
    assert canonical(client.get("/tags/learning/?page=1").content.decode()) == f"{SITE}/tags/learning/"
