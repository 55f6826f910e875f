"""/sitemap.xml holds what readers may see, with last changes; /robots.txt points to it, the admin kept out."""

import xml.etree.ElementTree as ElementTree

import pytest

from articles.models import Post
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {url.find(f"{SITEMAP}loc").text: url.findtext(f"{SITEMAP}lastmod") for url in root}


def test_the_sitemap_holds_published_pages_only(client, imported_series):
    draft = PostFactory(status=Post.Status.DRAFT, slug="secret-draft")
    secret_tag = TagFactory(slug="secret-tag")
    draft.tags.add(secret_tag)
    ListEntryFactory(post=draft, library=LibraryFactory(slug="secret-library"))
    found = locations(client)
    host = "http://testserver"
    assert f"{host}/posts/top-13-python-deep-learning-libraries/" in found
    assert f"{host}/posts/top-8-python-machine-learning-libraries/" in found
    assert f"{host}/tags/learning/" in found and f"{host}/libraries/tensorflow/" in found
    assert {f"{host}/", f"{host}/libraries/", f"{host}/archive/"} <= set(found)
    assert not [url for url in found if "secret" in url]
    assert not [url for url in found if "top-x" in url]  # coming-soon placeholders have no page
    assert found[f"{host}/posts/top-13-python-deep-learning-libraries/"]  # a last change


def test_robots_points_to_the_sitemap_and_keeps_the_admin_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
