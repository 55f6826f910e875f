"""An editor writes the next part in Chromium: from the coming-soon placeholder to a published post whose
printed figures stay as taken while a later refresh moves "today". And the admin's pages fit 1280 px."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Post
from libraries.models import Library, StatsSnapshot
from tests.browser.conftest import VIEWPORTS, screenshot, settle
from tests.conftest import CATALOGUE, TOP_8, TOP_13, needs_real_broker
from tests.factories import CommentFactory, LibraryFactory, ListEntryFactory, PostFactory, StatsSnapshotFactory
from tests.libraries.test_worker import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RL_TITLE = "Top X Python Reinforcement Learning and evolutionary computation Libraries"
# Everything on an admin page lies within a 1280 px window: nothing off to the right, no inner scroll bar.
OVERFLOW = """() => {
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (element.scrollWidth > element.clientWidth + 1 && ["auto", "scroll"].includes(style.overflowX)) {
      found.push(`${element.tagName}.${element.className} scrolls ${element.scrollWidth} > ${element.clientWidth}`);
    }
    if (box.width && box.right > window.innerWidth + 1 && element.offsetParent) {
      found.push(`${element.tagName}#${element.id}.${element.className} ends at ${Math.round(box.right)}`);
    }
  }
  return {width: document.documentElement.scrollWidth, found: found.slice(0, 5)};
}"""


# Tall enough for a drag from the fifth entry to the first with no scrolling in between (Playwright's drag
# scrolls to the target after pressing the button, which would start the drag elsewhere).
TALL_DESKTOP = {"width": 1280, "height": 4000}


def sign_in(browser, live_server, user, width="desktop", viewport=None):
    context = browser.new_context(viewport=viewport or VIEWPORTS[width])
    page = context.new_page()
    page.width_name = width
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    return context, page


def change_page(live_server, post):
    return f"{live_server.url}/admin/articles/post/{post.pk}/change/"


def rank_inputs(page):
    return page.locator("#entries-group .inline-related:not(.empty-form) input.entry-rank")


def entry_names(page):
    return [
        select.evaluate("element => element.selectedOptions[0] ? element.selectedOptions[0].text : ''")
        for select in page.locator("#entries-group .inline-related:not(.empty-form) select[name$='-library']").all()
    ]


def choose_library(page, form_index: int, typed: str, name: str):
    """Pick a library in an entry's autocomplete by typing part of a name or alias."""
    page.locator(f"#entries-{form_index} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=re.compile(rf"^{re.escape(name)}$")).click()


def test_admin_pages_fit_1280_px(browser, live_server, admin_user):
    post = PostFactory(title="Top 13 Python Deep Learning Libraries With A Rather Long Title For Its List Row")
    for rank in range(1, 14):
        ListEntryFactory(post=post, rank=rank, description="A long description. " * 30)
    for n in range(3):
        CommentFactory(
            post=post,
            author_name=f"A reader with a long name {n}",
            author_email=f"a.reader.with.a.long.address.{n}@example-university.edu",
            body="A long comment that disagrees with the ranking and says why at length. " * 4,
        )
    context, page = sign_in(browser, live_server, admin_user)
    try:
        for path, name in [
            (f"/admin/articles/post/{post.pk}/change/", "admin-post-change"),
            ("/admin/articles/post/", "admin-post-list"),
            ("/admin/articles/comment/", "admin-comment-queue"),
            ("/admin/libraries/library/", "admin-library-list"),
        ]:
            page.goto(live_server.url + path)
            layout = page.evaluate(OVERFLOW)
            assert layout == {"width": 1280, "found": []}, path
            screenshot(page, name)
    finally:
        settle(context)


def test_entries_reorder_by_dragging_or_moving_and_the_ranks_follow(browser, live_server, admin_user):
    post = PostFactory(status=Post.Status.COMING_SOON, published_on=None)
    for rank, name in enumerate(["Gym", "DEAP", "Ray"], start=1):
        ListEntryFactory(post=post, rank=rank, library=LibraryFactory(name=name))
    context, page = sign_in(browser, live_server, admin_user, viewport=TALL_DESKTOP)
    try:
        page.goto(change_page(live_server, post))
        assert entry_names(page)[:3] == ["Gym", "DEAP", "Ray"]
        handles = page.locator("#entries-group .entry-drag")
        handles.nth(2).drag_to(page.locator("#entries-0 h3"), target_position={"x": 5, "y": 2})
        assert entry_names(page)[:3] == ["Ray", "Gym", "DEAP"]
        assert [field.input_value() for field in rank_inputs(page).all()][:3] == ["1", "2", "3"]
        page.locator("#entries-group .inline-related", has_text="DEAP").get_by_role("button", name="Move up").click()
        assert entry_names(page)[:3] == ["Ray", "DEAP", "Gym"]
        # An entry added on the page previews its description as typed, like those loaded with it.
        page.get_by_role("button", name="Add another Entry").click()
        page.locator("#entries-4 textarea[name$='-description']").fill("The **newest** entry")
        page.locator("#entries-4 .markdownx-preview strong").wait_for()
        # Added entries do not move until saved (Django renumbers forms by their place on the page).
        assert page.locator("#entries-4 .entry-mover").count() == 0
        page.locator("#entries-4 .inline-deletelink").click()  # no library chosen: not kept
        page.get_by_role("button", name="Save and continue editing").click()
        assert list(post.entries.order_by("rank").values_list("library__name", flat=True)) == ["Ray", "DEAP", "Gym"]
    finally:
        settle(context)


@needs_real_broker
def test_an_editor_writes_the_next_part_from_live_figures_and_a_reader_sees_it_frozen(
    browser, live_server, admin_user, github, github_settings, worker
):
    call_command("import_libraries", str(CATALOGUE), stdout=None)
    call_command("import_article", str(TOP_8), str(TOP_13), stdout=None)
    placeholder = Post.objects.get(title=RL_TITLE)
    known = {
        "Gym": ("openai", "gym", ["OpenAI Gym"], 34000, 400, 1800),
        "DEAP": ("DEAP", "deap", [], 5800, 60, 2400),
        "PyBrain": ("pybrain", "pybrain", [], 2800, 30, 990),
    }
    for name, (owner, repo, aliases, stars, contributors, commits) in known.items():
        library = Library.objects.filter(name=name).first() or LibraryFactory(name=name)  # PyBrain is catalogued
        Library.objects.filter(pk=library.pk).update(github_owner=owner, github_repo=repo, aliases=aliases)
        StatsSnapshotFactory(
            library=library, stars=stars, contributors=contributors, commits=commits, taken_at=timezone.now()
        )
        Library.objects.filter(pk=library.pk).update(
            stars=stars, contributors=contributors, commits=commits, last_refreshed_at=timezone.now()
        )
    github.add("DLR-RM/stable-baselines3", stars=9100, contributors=210, commits=1870)
    github.add("google-deepmind/open_spiel", stars=4300, contributors=120, commits=3300)

    context, page = sign_in(browser, live_server, admin_user, viewport=TALL_DESKTOP)
    try:
        # The placeholder, from the list of posts.
        page.goto(live_server.url + "/admin/articles/post/?status__exact=coming_soon")
        page.get_by_role("link", name=RL_TITLE).click()
        assert page.locator("#id_title").input_value() == RL_TITLE

        # Three libraries by name or alias (autocomplete), two by GitHub address.
        choose_library(page, 0, "OpenAI", "Gym")
        page.get_by_role("button", name="Add another Entry").click()
        choose_library(page, 1, "dea", "DEAP")
        page.get_by_role("button", name="Add another Entry").click()
        choose_library(page, 2, "pybr", "PyBrain")
        page.locator("#id_add_from_github").fill(
            "https://github.com/DLR-RM/stable-baselines3\nhttps://github.com/google-deepmind/open_spiel/tree/master"
        )
        page.get_by_role("button", name="Save and continue editing").click()
        assert "New library stable-baselines3 (DLR-RM/stable-baselines3) added at rank 4" in page.inner_text(
            ".messagelist"
        )

        # The worker fetches the new ones from the GitHub stand-in; the page follows without a reload.
        expect(page.locator(".figures-today[data-fetching]")).to_have_count(0, timeout=30_000)
        today_lines = page.locator(".figures-today").all_inner_texts()
        assert any("9,100 stars, 210 contributors, 1,870 commits" in line for line in today_lines), today_lines
        assert any("4,300 stars, 120 contributors, 3,300 commits" in line for line in today_lines), today_lines
        assert page.locator("#id_title").input_value().startswith("Top 5 Python Reinforcement")
        screenshot(page, "compose-fetched")

        # Reorder: stable-baselines3 to the top by dragging, then take today's figures.
        page.locator("#entries-group .inline-related", has_text="stable-baselines3").locator(".entry-drag").drag_to(
            page.locator("#entries-0 h3"), target_position={"x": 5, "y": 2}
        )
        assert entry_names(page)[:2] == ["stable-baselines3", "Gym"]
        page.locator("#entries-3 textarea[name$='-description']").fill("**Reliable** implementations of RL.")
        page.get_by_role("button", name="Save and take today's figures").click()
        assert "Took today's GitHub figures for 5 of 5 entries" in page.inner_text(".messagelist")

        post = Post.objects.get(pk=placeholder.pk)
        printed = {entry.library.name: (entry.rank, entry.stars) for entry in post.entries.select_related("library")}
        assert printed == {
            "stable-baselines3": (1, 9100),
            "Gym": (2, 34000),
            "DEAP": (3, 5800),
            "PyBrain": (4, 2800),
            "open_spiel": (5, 4300),
        }
        assert post.figures_as_of == timezone.localdate()
        assert post.title == "Top 5 Python Reinforcement Learning and evolutionary computation Libraries"

        # The preview: the whole post as readers will see it, Fig. 1 included.
        page.get_by_role("button", name="Save and preview").click()
        assert page.locator(".badge.preview").text_content().strip() == "Preview: Coming soon"
        assert page.locator("#fig-1 svg").first.is_visible()
        assert "Reliable" in page.locator("#rank-1").inner_text()
        screenshot(page, "compose-preview")

        page.go_back()
        page.get_by_role("button", name="Save and publish now").click()
        assert "is published: readers see it now" in page.inner_text(".messagelist")
    finally:
        settle(context)

    url = f"{live_server.url}/posts/{post.slug}/"
    reader = browser.new_context(viewport=VIEWPORTS["desktop"])
    try:
        page = reader.new_page()
        page.width_name = "desktop"
        assert page.goto(url).status == 200
        assert page.locator("h1").inner_text() == post.title
        assert page.locator("#fig-1 svg").first.is_visible()
        assert "9,100" in page.locator("#rank-1").inner_text()
        screenshot(page, "compose-published")

        # A later refresh moves today's figures; the post's printed ones stay as taken.
        github.repositories["dlr-rm/stable-baselines3"].stars = 12000
        from libraries.tasks import refresh_all_libraries

        Library.objects.update(next_check_after=None)
        refresh_all_libraries.delay()
        sb3 = Library.objects.get(github_repo="stable-baselines3")
        assert wait_for(lambda: Library.objects.get(pk=sb3.pk).stars == 12000, seconds=60)
        assert StatsSnapshot.objects.filter(library=sb3, stars=12000).exists()
        # A reload asks the server again (a plain visit may take the browser's copy while it is fresh).
        assert wait_for(lambda: page.reload() and "12,000" in page.locator("section.then-now").inner_text(), 10)
        assert "9,100" in page.locator("section.then-now").inner_text()  # as printed, beside today's
        assert post.entries.get(library=sb3).stars == 9100
        assert Post.objects.get(pk=post.pk).figures_as_of == timezone.localdate()
        assert "STARS\n9,100\n12,000 today" in page.locator("#rank-1").inner_text()  # printed, then today's
    finally:
        reader.close()


def test_saving_a_post_untouched_in_chromium_changes_and_records_nothing(browser, live_server, admin_user):
    from django.contrib.admin.models import LogEntry

    call_command("import_libraries", str(CATALOGUE), stdout=None)
    call_command("import_article", str(TOP_8), str(TOP_13), stdout=None)
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    descriptions = list(post.entries.order_by("rank").values_list("description", flat=True))
    context, page = sign_in(browser, live_server, admin_user)
    try:
        page.goto(change_page(live_server, post))
        page.get_by_role("button", name="Save", exact=True).click()
        assert "Nothing was changed, so nothing was saved" in page.inner_text(".messagelist")
    finally:
        settle(context)
    saved = Post.objects.get(pk=post.pk)
    assert saved.body == post.body and saved.closing == post.closing
    assert list(saved.entries.order_by("rank").values_list("description", flat=True)) == descriptions
    assert not LogEntry.objects.filter(object_id=str(post.pk)).exists()
