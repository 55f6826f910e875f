"""An editor changes a live post in Chromium while readers keep the published one: drafts, preview, publishing,
two tabs, the history's compare and restore, autosave and the warning before leaving; renamed repositories find
the catalogue's library; a library picked from the catalogue without figures is fetched by a real worker."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Post
from libraries.models import Library
from tests.browser.conftest import VIEWPORTS, screenshot, settle
from tests.browser.test_composing import RL_TITLE, change_page, choose_library, sign_in
from tests.conftest import CATALOGUE, TOP_8, TOP_13, needs_real_broker
from tests.factories import LibraryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOP_13_SLUG = "top-13-python-deep-learning-libraries"


@pytest.fixture
def series(db):
    call_command("import_libraries", str(CATALOGUE), stdout=None)
    call_command("import_article", str(TOP_8), str(TOP_13), stdout=None)
    return Post.objects.get(slug=TOP_13_SLUG)


@pytest.fixture
def reader(browser, live_server):
    """Another browser, signed in nowhere: what every reader gets, through the page cache."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.width_name = "desktop"

    def subtitle() -> str:
        url = f"{live_server.url}/posts/{TOP_13_SLUG}/"
        if page.url == url:
            page.reload()  # asks the server again (a plain visit may take the browser's copy while it is fresh)
        else:
            page.goto(url)
        return page.locator("header.post-header").text_content()

    page.subtitle = subtitle
    yield page
    settle(context)


def test_a_live_posts_changes_reach_readers_only_once_published(browser, live_server, admin_user, series, reader):
    assert "WORK IN PROGRESS" not in reader.subtitle()
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, series))
        assert "This post is live." in page.inner_text(".draft-note")
        page.fill("#id_subtitle", "WORK IN PROGRESS")
        page.get_by_role("button", name="Save the draft and preview").click()
        badge = " ".join(page.locator(".badge.preview").text_content().split())
        assert (
            badge.startswith("Preview of the draft saved by admin") and "readers still see the published post" in badge
        )
        assert "WORK IN PROGRESS" in page.locator("header.post-header").inner_text()
        screenshot(page, "draft-preview")

        assert "WORK IN PROGRESS" not in reader.subtitle()

        page.goto(change_page(live_server, series))
        assert "You are editing the draft" in page.inner_text(".draft-note")
        assert page.input_value("#id_subtitle") == "WORK IN PROGRESS"
        screenshot(page, "draft-change-page")
        page.get_by_role("button", name="Save and publish the changes").click()
        assert "readers see the changes now" in page.inner_text(".messagelist")
    finally:
        settle(context)
    assert "WORK IN PROGRESS" in reader.subtitle()


def test_a_second_tab_cannot_overwrite_the_first_and_keeps_what_it_typed(browser, live_server, admin_user, series):
    context, first = sign_in(browser, live_server, admin_user)
    second = context.new_page()
    second.width_name = "desktop"
    try:
        first.goto(change_page(live_server, series))
        second.goto(change_page(live_server, series))
        first.fill("#id_subtitle", "From the first tab")
        first.get_by_role("button", name="Save and continue editing").click()
        assert "Saved as a draft" in first.inner_text(".messagelist")

        second.fill("#id_figure_caption", "A caption from the second tab")
        second.get_by_role("button", name="Save and continue editing").click()
        refusal = second.inner_text(".errorlist.nonfield")
        assert "admin saved this post on" in refusal and "They changed: Subtitle." in refusal
        assert second.input_value("#id_figure_caption") == "A caption from the second tab"
        assert second.input_value("#id_subtitle") != "From the first tab"  # the second tab's form, as it was
        screenshot(second, "draft-stale-refused")

        second.get_by_role("button", name="Save and continue editing").click()  # knowingly, this time
        assert "Saved as a draft" in second.inner_text(".messagelist")
        assert second.input_value("#id_figure_caption") == "A caption from the second tab"
    finally:
        settle(context)


def test_the_history_compares_two_versions_and_restores_one_as_the_draft(
    browser, live_server, admin_user, series, reader
):
    printed, original = reader.subtitle(), series.subtitle
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, series))
        page.fill("#id_subtitle", "A regretted subtitle")
        page.get_by_role("button", name="Save and publish the changes").click()
        assert "A regretted subtitle" in reader.subtitle()

        page.get_by_role("link", name="History").click()
        rows = page.locator("#revision-history tbody tr")
        expect(rows.last).to_contain_text(
            "Imported"
        )  # then the draft (autosaved too, if typing was slow), its publication
        assert "Draft published" in rows.first.inner_text()
        rows.last.locator("input[name='older']").check()
        rows.first.locator("input[name='newer']").check()
        page.get_by_role("button", name="Compare the two chosen versions").click()
        changed = page.locator("table.compare tr.changed")
        expect(changed).to_have_count(1)
        assert "A regretted subtitle" in changed.locator("ins").inner_text()
        screenshot(page, "revisions-compare")

        page.get_by_role("button", name=re.compile("Restore the older version")).click()
        assert "Restored as a draft" in page.inner_text(".messagelist")
        assert page.input_value("#id_subtitle") == original
        assert "A regretted subtitle" in reader.subtitle()  # a draft until published
        page.get_by_role("button", name="Save and publish the changes").click()
    finally:
        settle(context)
    assert reader.subtitle() == printed


def test_typing_is_autosaved_and_leaving_with_unsaved_changes_asks_first(browser, live_server, admin_user, series):
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, series))
        page.locator("#id_body").fill(series.body + "\n\nA paragraph typed a moment ago.")
        expect(page.locator(".autosave-status")).to_contain_text("Draft autosaved at", timeout=15_000)
        assert (
            "A paragraph typed a moment ago."
            in Post.objects.get(pk=series.pk).editing.draft.version_set.get(content_type__model="post").serialized_data
        )
        assert "A paragraph typed a moment ago." not in Post.objects.get(pk=series.pk).body

        page.check("#id_comments_closed")  # not autosaved: leaving would lose it
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
        page.get_by_role("link", name="History").click()
        assert dialogs == ["beforeunload"] and page.url == change_page(live_server, series)
    finally:
        settle(context)


def test_a_renamed_repositorys_address_finds_the_catalogues_library(
    browser, live_server, admin_user, series, github, github_settings
):
    github.add("Microsoft/LightGBM", id=64991887)
    github.rename("Microsoft/LightGBM", "lightgbm-org/LightGBM")
    github.add("apache/incubator-mxnet", id=34864402)
    github.rename("apache/incubator-mxnet", "apache/mxnet")
    libraries = Library.objects.count()
    placeholder = Post.objects.get(title=RL_TITLE)
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, placeholder))
        page.fill("#id_add_from_github", "https://github.com/lightgbm-org/LightGBM\ngithub.com/apache/mxnet")
        page.get_by_role("button", name="Save and continue editing").click()
        messages = page.inner_text(".messagelist")
        assert "Library LightGBM (Microsoft/LightGBM) added at rank 1." in messages
        assert "Library Apache MXNet (apache/incubator-mxnet) added at rank 2." in messages
    finally:
        settle(context)
    assert Library.objects.count() == libraries
    assert list(placeholder.entries.values_list("library__name", flat=True)) == ["LightGBM", "Apache MXNet"]


def test_an_address_github_does_not_know_is_refused_in_the_form(
    browser, live_server, admin_user, series, github, github_settings
):
    placeholder = Post.objects.get(title=RL_TITLE)
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, placeholder))
        page.fill("#id_add_from_github", "https://github.com/openai/gym")
        page.get_by_role("button", name="Save and continue editing").click()
        assert "GitHub does not know openai/gym: check the address." in page.inner_text(".field-add_from_github")
        assert page.input_value("#id_add_from_github") == "https://github.com/openai/gym"
    finally:
        settle(context)
    assert not placeholder.entries.exists()


@needs_real_broker
def test_a_library_picked_from_the_catalogue_without_figures_is_fetched_by_the_worker(
    browser, live_server, admin_user, series, github, github_settings, worker
):
    github.add("DEAP/deap", stars=5800, contributors=60, commits=2400)
    LibraryFactory(name="DEAP", github_owner="DEAP", github_repo="deap")  # in the catalogue, never fetched
    placeholder = Post.objects.get(title=RL_TITLE)
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, placeholder))
        choose_library(page, 0, "dea", "DEAP")
        page.get_by_role("button", name="Save and continue editing").click()
        assert "Fetching from GitHub the figures of DEAP" in page.inner_text(".messagelist")
        expect(page.locator(".figures-today[data-fetching]")).to_have_count(0, timeout=30_000)
        assert "5,800 stars, 60 contributors, 2,400 commits" in page.locator(".figures-today").first.inner_text()
    finally:
        settle(context)
