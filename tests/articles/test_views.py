"""Reader pages: the series, a post with its ranked list, coming-soon and retired parts, tags."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from articles.models import Post
from tests.conftest import cold_get
from tests.factories import ListEntryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

TOP_13_URL = "/posts/top-13-python-deep-learning-libraries/"


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_shows_four_parts_two_coming_soon(client, imported_series):
    html = client.get("/").content.decode()
    titles = [
        "Top 8 Python Machine Learning Libraries",
        "Top 13 Python Deep Learning Libraries",
        "Top X Python Reinforcement Learning and evolutionary computation Libraries",
        "Top X Python Data Science Libraries",
    ]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert html.count("Coming soon") == 2
    assert f'href="{TOP_13_URL}"' in html
    assert 'href="/posts/top-8-python-machine-learning-libraries/"' in html
    # A coming part links to its own page (what it will be, "notify me"), never to an empty post page.
    assert 'href="/coming/top-x-python-data-science-libraries/"' in html
    assert "/posts/top-x-python-data-science-libraries/" not in html
    assert "Top Python AI Libraries" not in html  # retired


def test_post_page_shows_all_13_entries_in_rank_order(client, imported_series):
    response = client.get(TOP_13_URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html[html.index('<ol class="entries">') :])
    names = [
        "TensorFlow",
        "PyTorch",
        "Apache MXNet",
        "Theano",
        "Caffe",
        "fast.ai",
        "CNTK",
        "TFLearn",
        "Lasagne",
        "nolearn",
        "Elephas",
        "spark-deep-learning",
        "Distributed Keras",
    ]
    positions = [text.index(f"{rank}. {name}") for rank, name in enumerate(names, start=1)]
    assert positions == sorted(positions)
    assert "GitHub figures as of October 23, 2018" in visible_text(html)
    assert "1,700" in text and "42,256" in text and "112,591" in text
    assert 'href="https://github.com/tensorflow/tensorflow"' in response.content.decode()
    assert 'href="/libraries/tensorflow/"' in response.content.decode()


def test_post_page_shows_attribution_not_the_raw_line(client, imported_series):
    html = client.get(TOP_13_URL).content.decode()
    assert "Reposted from" in html
    assert "转载自" not in html
    assert 'href="http://feedproxy.google.com/~r/kdnuggets-data-mining-analytics/' in html


def test_post_page_never_hotlinks_the_dead_image_and_shows_the_caption(client, imported_series):
    html = client.get(TOP_13_URL).content.decode()
    assert "<img" not in html
    assert "top-python-deep-learning-737.jpg" not in html
    assert "Fig. 1: Top 13 Python Deep Learning Libraries" in html


def test_post_page_shows_the_series_once_not_twice(client, imported_series):
    text = visible_text(client.get(TOP_13_URL).content.decode())
    assert text.count("Top X Python Data Science Libraries") == 1
    assert "COMING SOON!" not in text
    assert "correct as of October 23rd" not in text
    assert text.count("Keep an eye out for the next part") == 1


def test_coming_soon_post_has_no_public_page(client, imported_series):
    placeholder = Post.objects.get(status=Post.Status.COMING_SOON, title__contains="Data Science")
    assert client.get(placeholder.get_absolute_url()).status_code == 404


def test_retired_post_is_invisible(client, imported_series):
    retired = Post.objects.get(status=Post.Status.RETIRED)
    assert client.get(retired.get_absolute_url()).status_code == 404
    assert retired.title not in client.get("/").content.decode()


def test_draft_is_hidden_from_readers_and_previewed_by_staff(editor_client):
    draft = PostFactory(status=Post.Status.DRAFT, title="Secret draft")
    assert Client().get(draft.get_absolute_url()).status_code == 404
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: Draft" in response.content.decode()


def test_script_in_body_never_reaches_the_page(client):
    post = PostFactory(
        body='Hello <script>alert("body")</script> <img src=x onerror=alert(1)> [x](javascript:alert(2))',
        closing="<iframe src=//evil></iframe>",
    )
    ListEntryFactory(post=post, description="<script>alert('entry')</script>**ok**")
    html = client.get(post.get_absolute_url()).content.decode()
    assert re.findall(r"<script[^>]*>", html) == [  # the site's own only, and the post's data for search engines
        '<script type="application/ld+json">',
        '<script src="/static/js/comments.js" defer>',
        '<script src="/static/js/chart.js" defer>',
        '<script src="/static/js/catalog.js" defer>',
    ]
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "<img" not in html
    assert "<iframe" not in html
    assert "javascript:" not in html
    assert "<strong>ok</strong>" in html


@pytest.mark.parametrize("entry_count", [13, 100])
def test_post_page_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries, entry_count):
    post = PostFactory()
    post.tags.add(TagFactory(), TagFactory())
    ListEntryFactory.create_batch(entry_count, post=post)
    # Three of them make the page generations cold_get cleared (the next scheduled changes of the content and
    # the figures): after an edit, the writer's process makes those, not the reader's request. One is every
    # row's stars trend, for the whole list at once.
    with django_assert_max_num_queries(9):
        response = cold_get(client, post.get_absolute_url())
    assert response.content.decode().count('class="entry"') == entry_count


def test_tag_page_lists_the_tags_published_posts(client, imported_series):
    html = client.get(reverse("articles:tag_detail", kwargs={"slug": "deep"})).content.decode()
    assert "Top 13 Python Deep Learning Libraries" in html
    assert "Top 8 Python Machine Learning Libraries" not in html
    machine = client.get(reverse("articles:tag_detail", kwargs={"slug": "machine"})).content.decode()
    assert "Top 8 Python Machine Learning Libraries" in machine


def test_library_page_shows_posts_and_history(client, imported_series):
    html = client.get("/libraries/tensorflow/").content.decode()
    text = visible_text(html)
    assert "#1 in Top 13 Python Deep Learning Libraries" in text
    assert "tensorflow/tensorflow on GitHub" in text
    assert "112,591" in text
    assert "Oct 23, 2018" in text


def test_library_list_shows_every_library_with_placing(client, imported_series):
    text = visible_text(client.get("/libraries/").content.decode())
    assert "Keras #2 in Top 8 Python Machine Learning Libraries" in text
    assert text.count(" in Top ") == 21


class _LoadedAddresses(HTMLParser):
    """Every address a browser loads on its own for a page (not the links a reader may follow)."""

    LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "apple-touch-icon", "manifest"}

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed"} and attributes.get("src"):
            self.addresses.append(attributes["src"])
        rels = set((attributes.get("rel") or "").lower().split())
        if tag == "link" and rels & self.LOADING_LINK_RELS and attributes.get("href"):
            self.addresses.append(attributes["href"])


def loaded_from_other_hosts(html: str) -> list[str]:
    parser = _LoadedAddresses()
    parser.feed(html)
    return [address for address in parser.addresses if re.match(r"(?:[a-z]+:)?//", address, re.IGNORECASE)]


def test_the_other_host_check_sees_every_way_of_writing_a_load():
    for html in [
        '<link href="https://cdn.example/site.css" rel="stylesheet">',
        "<link rel='stylesheet' href='//cdn.example/site.css'>",
        '<LINK REL="Stylesheet" HREF="https://cdn.example/site.css">',
        '<script defer src="https://cdn.example/x.js"></script>',
        '<img alt="" src="http://cdn.example/x.png">',
    ]:
        assert loaded_from_other_hosts(html), html
    assert not loaded_from_other_hosts('<a href="https://github.com/keras-team/keras">Keras</a>')


def test_pages_ask_no_other_host_for_anything(client, imported_series):
    for url in ["/", TOP_13_URL, "/libraries/", "/libraries/keras/"]:
        html = client.get(url).content.decode()
        assert loaded_from_other_hosts(html) == [], url  # outbound links are fine; loading from elsewhere is not
        assert all(source.startswith("/static/") for source in re.findall(r'<script src="([^"]+)"', html))
        assert "fonts.googleapis" not in html


def test_home_summarises_each_published_part(client, imported_series):
    text = visible_text(client.get("/").content.decode())
    assert (
        "13 libraries ranked, GitHub figures as of October 23, 2018: TensorFlow, PyTorch, Apache MXNet and more."
        in text
    )
    assert "8 libraries ranked, GitHub figures as of October 3, 2018: scikit-learn, Keras, XGBoost and more." in text


@pytest.mark.parametrize("part_count", [2, 30])
def test_home_query_count_does_not_grow_with_parts(client, django_assert_max_num_queries, part_count):
    from tests.factories import SeriesFactory

    series = SeriesFactory()
    for position in range(1, part_count + 1):
        ListEntryFactory.create_batch(3, post=PostFactory(series=series, series_position=position))
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert response.content.decode().count('class="part-summary"') == part_count


def test_feed_lists_published_posts_only(client, imported_series):
    PostFactory(status=Post.Status.DRAFT, title="Draft in progress")
    xml = client.get("/feed/").content.decode()
    assert xml.count("<entry>") == 2
    assert "Top 13 Python Deep Learning Libraries" in xml
    assert "Draft in progress" not in xml
    assert "COMING SOON" not in xml and "[series]" not in xml


def test_missing_page_is_a_friendly_404(client, imported_series):
    response = client.get("/posts/no-such-post/")
    assert response.status_code == 404
    assert "Back to the series" in response.content.decode()


def test_a_drafts_libraries_and_figures_stay_hidden(client, imported_series, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "2019-05-01-top-1-python-secrets.md"
    path.write_text(
        "---\ntitle: Top 1 Python Secrets\ndate: 2019-05-01\npublished: false\n---\n\n"
        "Figures correct as of 2019-04-30:\n\n**1. Secretlib (Stars – 4,242)**\n\nUnannounced.\n\n"
        "**2. TensorFlow (Stars – 999,999)**\n\nAlso here.\n"
    )
    call_command("import_article", str(path))
    assert client.get("/libraries/secretlib/").status_code == 404
    assert "Secretlib" not in client.get("/libraries/").content.decode()
    tensorflow = client.get("/libraries/tensorflow/").content.decode()
    assert "999,999" not in tensorflow and "Top 1 Python Secrets" not in tensorflow


def test_a_future_post_is_not_linked_from_library_history(client, imported_series):
    import datetime

    from django.utils import timezone

    Post.objects.filter(slug="top-13-python-deep-learning-libraries").update(
        published_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    tensorflow = client.get("/libraries/tensorflow/")
    assert tensorflow.status_code == 404  # ranked only in a post that is not out yet
    keras = client.get("/libraries/keras/").content.decode()
    assert "Top 13" not in keras


def test_moderators_cannot_preview_drafts(imported_series, django_user_model):
    from tests.conftest import staff_in_group

    draft = PostFactory(status=Post.Status.DRAFT, title="Secret draft")
    reader = Client()
    reader.force_login(staff_in_group(django_user_model, "mod", "Moderators"))
    assert reader.get(draft.get_absolute_url()).status_code == 404


def test_tag_urls_never_reach_the_database_with_control_characters(client, imported_series):
    assert client.get("/tags/a%00b/").status_code == 404
    assert client.get("/tags/%E2%80%AE/").status_code == 404
    # The URL itself refuses them, before any view or query (a 404 alone would come from an unknown tag too).
    for path in ["/tags/a\x00b/", "/tags/\u202e/", "/tags/a\x1bb/"]:
        with pytest.raises(Resolver404):
            resolve(path)
    assert resolve("/tags/deep/").url_name == "tag_detail" and resolve("/tags/机器学习/").url_name == "tag_detail"


def test_a_tag_only_drafts_use_has_no_page(client, imported_series):
    draft = PostFactory(status=Post.Status.DRAFT)
    draft.tags.add(TagFactory(name="secret-plans", slug="secret-plans"))
    assert client.get("/tags/secret-plans/").status_code == 404


def test_pages_name_their_icon_and_favicon_ico_leads_to_it(client, imported_series):
    html = client.get(TOP_13_URL).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)[1]

    assert client.get(icon).status_code == 200
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, icon)


def test_tag_pages_and_more_posts_list_the_newest_first(client):
    import datetime

    from tests.factories import TagFactory

    tag = TagFactory(name="learning", slug="learning")
    for title, day in (("Older post", datetime.date(2018, 10, 3)), ("Newer post", datetime.date(2018, 11, 2))):
        post = PostFactory(title=title, published_on=day, series=None)
        post.tags.add(tag)
    for url in ("/tags/learning/", "/"):
        html = client.get(url).content.decode()
        assert html.index("Newer post") < html.index("Older post"), url
