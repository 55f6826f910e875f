"""The post admin's composing tools: libraries added by GitHub address (each found or made once, asked of GitHub
before the save), today's figures taken as the post's own, the "Top N" count, and every library of the list
without figures yet fetched from GitHub once the save is kept."""

from django.contrib import messages

from articles.composing import AlreadyInList, entry_add, post_figures_take, post_title_count
from articles.models import ListEntry
from libraries.catalogue import RepositoryRefused, library_for_repository
from libraries.names import NotARepositoryAddress, repository_from_address
from libraries.refresh import github_client_for_editors
from libraries.tasks import library_refresh_request

TAKE_FIGURES = "_take_figures"
FETCH_QUEUED = (
    "Fetching from GitHub the figures of {names}: the “GitHub today” lines follow it (reload the page without "
    "JavaScript). Then take today's figures."
)
FETCH_NOT_QUEUED = (
    "The task queue (the broker) did not answer, so the figures of {names} are not being fetched yet; the "
    "scheduled refresh takes them when it next runs, or use “Refresh GitHub figures now” on the libraries list."
)
NO_FIGURES_YET = (
    "No GitHub figures yet for {names}: their entries keep what they had. Take the figures again once fetched."
)
# The message a save that only composed (the form's fields untouched) is logged and kept with.
COMPOSED = [{"changed": {"fields": ["Ranked list"]}}]


def may_add_by_address(user) -> bool:
    return user.has_perms(["libraries.add_library", "articles.add_listentry"])


def repositories_look_up(text: str) -> dict[tuple[str, str], tuple | str]:
    """Each repository the addresses name, found or made in the catalogue, or why GitHub refused it; by
    ("owner", "repo") lower-cased. Lines that are not addresses are left for the form to refuse."""
    found, client = {}, None
    for line in text.splitlines():
        try:
            owner, repo = repository_from_address(line) if line.strip() else ("", "")
        except NotARepositoryAddress:
            continue
        key = (owner.lower(), repo.lower())
        if not owner or key in found:
            continue
        client = client or github_client_for_editors()
        try:
            found[key] = library_for_repository(owner=owner, repo=repo, client=client)
        except RepositoryRefused as refusal:
            found[key] = str(refusal)
    return found


class PostComposingAdminMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Asked of GitHub before the save: a library it makes is the catalogue's, kept whether or not the post's
        # save is (a live post's is rolled back into its draft).
        if request.method == "POST" and may_add_by_address(request.user):
            request.repository_lookups = repositories_look_up(request.POST.get("add_from_github", ""))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.repository_lookups = getattr(request, "repository_lookups", {})
        return form

    def save_related(self, request, form, formsets, change):
        post = form.instance
        listed_before = set(ListEntry.objects.filter(post=post).values_list("library_id", flat=True))
        super().save_related(request, form, formsets, change)
        composed = self._add_libraries(request, post, form.cleaned_data.get("add_from_github") or [])
        if TAKE_FIGURES in request.POST and request.user.has_perm("articles.change_listentry"):
            composed |= self._take_figures(request, post)
        title = post.title
        if post_title_count(post=post, was_out=getattr(request, "post_was_out", True)):
            self.message_user(
                request, f"The title now reads “{post.title}” (it was “{title}”): its number counts the list."
            )
        if composed:
            request.post_composed = COMPOSED
        # However they were added (by address or from the catalogue), libraries new to the list that GitHub was
        # never asked about are fetched now.
        added = ListEntry.objects.filter(post=post).exclude(library_id__in=listed_before).select_related("library")
        request.libraries_to_fetch = [entry.library for entry in added if entry.library.is_awaiting_first_fetch]

    def post_saved(self, request, post):
        super().post_saved(request, post)
        libraries = request.__dict__.pop("libraries_to_fetch", [])
        if not libraries:
            return
        names = ", ".join(library.name for library in libraries)
        if library_refresh_request([library.pk for library in libraries]) is None:
            self.message_user(request, FETCH_NOT_QUEUED.format(names=names), messages.ERROR)
        else:
            self.message_user(request, FETCH_QUEUED.format(names=names), messages.INFO)

    def _add_libraries(self, request, post, found) -> bool:
        added_any = False
        for library, created in found:
            try:
                entry = entry_add(post=post, library=library)
            except AlreadyInList as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
                continue
            added_any = True
            what = "New library" if created else "Library"
            rename = " (rename it on its own page if readers know it by another name)" if created else ""
            self.message_user(
                request, f"{what} {library.name} ({library.full_name}) added at rank {entry.rank}{rename}."
            )
        return added_any

    def _take_figures(self, request, post) -> bool:
        result = post_figures_take(post=post)
        if result.taken:
            total = len(result.taken) + len(result.without_figures)
            self.message_user(
                request,
                f"Took today's GitHub figures for {len(result.taken)} of {total} entries; the post prints them as of "
                f"{post.figures_as_of:%B %-d, %Y} from now on.",
                messages.SUCCESS,
            )
        if result.without_figures:
            names = ", ".join(entry.name for entry in result.without_figures)
            self.message_user(request, NO_FIGURES_YET.format(names=names), messages.WARNING)
        return bool(result.taken)
