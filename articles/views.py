"""Reader pages: the series, a post, a tag; the comment form's own page, its token and its POST."""

import json
import secrets
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import DetailView, TemplateView

from articles.archive_views import page_of
from articles.comments import CommentsClosed, comment_submit
from articles.forms import CommentForm, comment_form_token
from articles.models import Comment, ListEntry, Post, Series, Tag
from articles.pages import CommentPage, PostParts
from articles.ratelimit import rate_limit_hit
from articles.search import query_clean, search
from articles.share import article_data, json_ld, post_summary
from articles.standings import ORDERING_KEYS, ordering_from
from articles.tasks import notify_moderators_on_commit
from core.client import client_ip
from core.origin import is_same_origin
from core.page_cache import CachedPageMixin, NotAValue, one_of, page_number, remembered
from core.page_generations import COMMENTS, CONTENT, FIGURES, comments_of

REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "articles.comment-author"
REMEMBER_MAX_AGE = 365 * 24 * 60 * 60
AWAITING_MODERATION = "Thank you: your comment awaits moderation and appears here once an editor approves it."
RATE_LIMITED = (
    "You have sent several comments in a short time. Please wait a few minutes and send this one again; "
    "your text is kept below."
)
COMMENTS_CLOSED = "Comments are closed on this post, so your comment was not posted. Your text is below to keep."
CROSS_SITE = "Comments can only be sent from this site's own pages."
# A reader's pages ask for a form token each; an address asking for hundreds a minute is not reading.
TOKENS_PER_IP, TOKENS_WINDOW = 60, 60
TOKENS_LIMITED = "Too many requests from here; the comment form works again in a minute."


def series_parts_prefetch():
    return Prefetch(
        "posts",
        queryset=Post.objects.in_series_plan().with_comment_count().order_by("series_position", "pk"),
        to_attr="parts",
    )


def ranked_entries_prefetch(lookup="entries"):
    entries = ListEntry.objects.select_related("library").order_by("rank")
    return Prefetch(lookup, queryset=entries, to_attr="ranked_entries")


def post_share(post: Post, request) -> dict:
    """The post's summary, address and JSON-LD for its head; made only when the page is rendered."""
    url = f"{settings.SITE_URL.rstrip('/')}{post.get_absolute_url()}"
    logo = f"{settings.SITE_URL.rstrip('/')}{static('icons/icon-512.png')}"
    return {"summary": post_summary(post), "url": url, "json_ld": json_ld(article_data(post, url=url, logo_url=logo))}


def remembered_author(request) -> dict:
    """The name and email a reader asked this browser to remember, from a signed cookie."""
    remembered = request.get_signed_cookie(REMEMBER_COOKIE, default=None, salt=REMEMBER_SALT)
    try:
        name, email = json.loads(remembered)
    except (TypeError, ValueError):
        return {}
    return {"author_name": name, "author_email": email, "remember": True}


class HomeView(CachedPageMixin, TemplateView):
    template_name = "articles/home.html"
    page_dependencies = (CONTENT, COMMENTS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Built and run only when the stored fragment is out of date: building them costs more than the page.
        context["series_list"] = SimpleLazyObject(
            lambda: Series.objects.prefetch_related(series_parts_prefetch(), ranked_entries_prefetch("parts__entries"))
        )
        context["standalone_posts"] = SimpleLazyObject(
            lambda: Post.objects.published().with_comment_count().filter(series=None).order_by("-published_on", "-pk")
        )
        context["fragment_version"] = self.fragment_version(CONTENT, COMMENTS)
        return context


class PostDetailView(CachedPageMixin, DetailView):
    """The post with its ranked list, chart and comments. The comment form comes without a token (the page
    is the same for every reader); a small script asks `CommentTokenView` for one."""

    model = Post
    page_query_parameters = {"page": page_number, "sort": one_of(*ORDERING_KEYS), "dir": one_of("asc", "desc")}

    @classmethod
    def page_dependencies_for(cls, *, slug, **url_kwargs):
        return (CONTENT, FIGURES, comments_of(slug))

    def get_object(self, queryset=None):
        """Readers get published posts; those who may edit posts preview any post through the same page.

        The post is looked up once per content generation, and its visibility checked here: a reader's
        request touches neither the database nor the session once the page's fragments are stored."""
        slug = self.kwargs["slug"]
        post = remembered(
            f"post:{slug}",
            self.fragment_version(CONTENT),
            lambda: Post.objects.select_related("series").filter(slug=slug).first(),
        )
        if post is None or not (post.is_readable or self.request.user.has_perm("articles.change_post")):
            raise Http404("No published post at this address.")
        return post

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        comments = CommentPage(post, number=self.comment_page_number(), per_page=settings.COMMENTS_PER_PAGE)
        if comments.number > 1 and not comments.exists:
            raise Http404("This post has no such page of comments.")
        context.update(
            parts=PostParts(post, ordering_from(self.request.GET.get("sort"), self.request.GET.get("dir"))),
            comments=comments,
            comments_open=post.comments_open,
            comment_url=reverse("articles:post_comment", kwargs={"slug": post.slug}),
            # Called by the template only when the stored form fragment is out of date.
            comment_form=partial(CommentForm, post=post, with_token=False),
            article_version=self.fragment_version(CONTENT, FIGURES),
            share=SimpleLazyObject(lambda: post_share(post, self.request)),
            comments_version=self.fragment_version(CONTENT, comments_of(post.slug)),
        )
        return context

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = Post.objects.published().renumbered_from(kwargs["slug"]).first()  # "top-x-…" now "top-5-…"
            if moved is None:
                raise
            return redirect(moved, permanent=True)

    def comment_page_number(self) -> int:
        try:
            return int(page_number(self.request.GET.get("page", "1")))
        except NotAValue as error:
            raise Http404("Pages of comments are numbered from 1.") from error


class PostPreviewView(PostDetailView):
    """The admin's preview: a post as readers will see it once its draft is published (the caller applies the
    draft). Rendered afresh: no stored fragment is used, and none is left under a key a reader would ask for."""

    draft = None

    def get_object(self, queryset=None):
        return Post.objects.select_related("series").get(pk=self.kwargs["post_id"])

    def fragment_version(self, *names: str) -> str:
        return f"preview-{secrets.token_hex(8)}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "draft_preview": self.draft}


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class CommentFormView(DetailView):
    """`…/comment/`: the comment form on a page of its own, never cached. Readers without JavaScript write
    here, and a refused comment comes back here with what the reader typed.

    The POST is refused unless the browser says it comes from this site (`Origin`, `Sec-Fetch-Site`);
    the signed form token, the honeypot and the rate limits do the rest. Signed-in staff also keep
    Django's CSRF check, as everywhere else."""

    template_name = "articles/comment_form_page.html"

    def get_queryset(self):
        return Post.objects.published()

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            if not is_same_origin(request):
                return HttpResponseForbidden(CROSS_SITE, content_type="text/plain; charset=utf-8")
            if request.user.is_authenticated:
                return csrf_protect(super().dispatch)(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = post = self.get_object()
        replying_to = self.reply_parent(request.GET.get("reply_to", ""))
        initial = {**remembered_author(request), "parent": replying_to.pk if replying_to else None}
        return self.render_form(CommentForm(post=post, initial=initial))

    def post(self, request, *args, **kwargs):
        self.object = post = self.get_object()
        form = CommentForm(request.POST, post=post)
        if not post.comments_open:
            return self.render_form(form, refusal=COMMENTS_CLOSED, status=403)
        ip = client_ip(request)
        if not form.is_valid():
            # A reader correcting a form is not flooding: refusals count against a far higher limit of their own.
            if not self.within_rate_limit("invalid-ip", ip or "unknown", settings.COMMENT_RATE_LIMIT_INVALID_PER_IP):
                return self.render_form(form, refusal=RATE_LIMITED, status=429)
            return self.render_form(form, status=400)
        if not self.within_rate_limit("ip", ip or "unknown", settings.COMMENT_RATE_LIMIT_PER_IP):
            return self.render_form(form, refusal=RATE_LIMITED, status=429)
        data = form.cleaned_data
        if not self.within_rate_limit("email", data["author_email"].lower(), settings.COMMENT_RATE_LIMIT_PER_EMAIL):
            return self.render_form(form, refusal=RATE_LIMITED, status=429)
        if not form.spend_token():
            return self.render_form(form, status=400)
        try:
            submission = comment_submit(
                post=post,
                author_name=data["author_name"],
                author_email=data["author_email"],
                body=data["body"],
                parent=form.parent_comment,
                ip_address=ip,
                user_agent=request.headers.get("User-Agent", ""),
                spam_reason=form.spam_reason,
            )
        except CommentsClosed:  # closed by an editor while the form was being checked
            return self.render_form(form, refusal=COMMENTS_CLOSED, status=403)
        if submission.needs_moderator_email:
            notify_moderators_on_commit(submission.comment.pk)
        # Spam gets the same answer as everyone else: a bot learns nothing from the response.
        messages.success(request, AWAITING_MODERATION, extra_tags="comments")
        response = redirect(f"{post.get_absolute_url()}#comments")
        self.remember_author(response, form)
        return response

    def reply_parent(self, comment_id: str) -> Comment | None:
        if not (comment_id.isascii() and comment_id.isdigit()):
            return None
        return Comment.objects.approved().filter(post=self.object, parent=None, pk=int(comment_id)).first()

    def render_form(self, form: CommentForm, *, refusal: str = "", status: int = 200):
        parent_id = str(form["parent"].value() or "")
        context = self.get_context_data(
            comment_form=form,
            comments_open=self.object.comments_open,
            comment_refusal=refusal,
            replying_to=self.reply_parent(parent_id),
        )
        response = self.render_to_response(context, status=status)
        if status == 429:
            response["Retry-After"] = str(settings.COMMENT_RATE_LIMIT_WINDOW)
        return response

    def within_rate_limit(self, scope: str, key: str, limit: int) -> bool:
        return rate_limit_hit(scope=f"comment-{scope}", key=key, limit=limit, window=settings.COMMENT_RATE_LIMIT_WINDOW)

    def remember_author(self, response, form: CommentForm) -> None:
        data = form.cleaned_data
        if data["remember"]:
            response.set_signed_cookie(
                REMEMBER_COOKIE,
                json.dumps([data["author_name"], data["author_email"]]),
                salt=REMEMBER_SALT,
                max_age=REMEMBER_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        else:
            response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


@method_decorator(never_cache, name="dispatch")
class CommentTokenView(View):
    """`…/comment/token/`: what the post page's script puts in its form: a fresh form token, the name and
    email this browser remembers and, for signed-in staff, their CSRF token. Never cached."""

    def get(self, request, slug):
        if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            return JsonResponse({"error": CROSS_SITE}, status=403)
        if not rate_limit_hit(
            scope="comment-token", key=client_ip(request) or "", limit=TOKENS_PER_IP, window=TOKENS_WINDOW
        ):
            return JsonResponse({"error": TOKENS_LIMITED}, status=429)
        post = get_object_or_404(Post.objects.published(), slug=slug)
        if not post.comments_open:
            return JsonResponse({"open": False})
        answer = {"open": True, "token": comment_form_token(post), **remembered_author(request)}
        if request.user.is_authenticated:
            answer["csrf_token"] = get_token(request)
        return JsonResponse(answer)


def public_tag_slugs(content_version: str) -> frozenset[str]:
    """The tags of published posts, worked out once per content generation."""

    def public():
        tags = Tag.objects.filter(Exists(Post.objects.published().filter(tags=OuterRef("pk"))))
        return frozenset(tags.values_list("slug", flat=True))

    return remembered("public-tag-slugs", content_version, public)


class TagDetailView(CachedPageMixin, DetailView):
    model = Tag
    page_dependencies = (CONTENT, COMMENTS)
    page_query_parameters = {"page": page_number}

    def get_object(self, queryset=None):
        # A tag only drafts use has no page: its name alone would announce them.
        slug = self.kwargs["slug"]
        version = self.fragment_version(CONTENT)
        if slug not in public_tag_slugs(version):
            raise Http404("No published post has this tag.")
        return remembered(f"tag:{slug}", version, lambda: Tag.objects.get(slug=slug))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tag = self.object

        def page():  # built only when the stored fragment is out of date: building it costs more than the page
            posts = tag.posts.published().with_comment_count().select_related("series")
            return page_of(posts.order_by("-published_on", "-pk"), self.request)

        context["page_obj"] = SimpleLazyObject(page)
        context["fragment_version"] = self.fragment_version(CONTENT, COMMENTS)
        return context


class FeedsView(CachedPageMixin, TemplateView):
    """The feeds, for people: a browser opening a feed itself gets its stylesheet's page."""

    template_name = "articles/feeds.html"
    page_dependencies = (CONTENT,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series_list"] = Series.objects.filter(posts__in=Post.objects.published()).distinct()
        return context


class SearchView(TemplateView):
    """`/search/?q=…`: never stored (every query is its own page), and it sets no cookie."""

    template_name = "articles/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = query_clean(self.request.GET.get("q"))
        context["query"] = query
        context["page_obj"] = page_of(search(query), self.request) if query else None
        return context
