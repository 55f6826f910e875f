"""Reader pages: the series, a post, a tag; and the comment form's POST."""

import ipaddress
import json

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import redirect
from django.views.generic import DetailView, TemplateView

from articles.forms import CommentForm
from articles.models import Comment, Post, Series, Tag
from articles.ratelimit import rate_limit_hit
from articles.services import CommentsClosed, comment_submit
from articles.tasks import notify_moderators_on_commit
from libraries.charts import bubble_chart
from libraries.models import ListEntry

REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "articles.comment-author"
REMEMBER_MAX_AGE = 365 * 24 * 60 * 60
AWAITING_MODERATION = "Thank you: your comment awaits moderation and appears here once an editor approves it."
RATE_LIMITED = (
    "You have sent several comments in a short time. Please wait a few minutes and send this one again; "
    "your text is kept below."
)
COMMENTS_CLOSED = "Comments are closed on this post, so your comment was not posted. Your text is below to keep."


def series_parts_prefetch():
    return Prefetch(
        "posts",
        queryset=Post.objects.in_series_plan().with_comment_count().order_by("series_position", "pk"),
        to_attr="parts",
    )


def ranked_entries_prefetch(lookup="entries"):
    entries = ListEntry.objects.select_related("library").order_by("rank")
    return Prefetch(lookup, queryset=entries, to_attr="ranked_entries")


def comment_threads(comments: list[Comment]) -> list[Comment]:
    """Top-level comments in order, each with `thread_replies`: its replies, oldest first."""
    top_level = [comment for comment in comments if comment.parent_id is None]
    by_id = {comment.pk: comment for comment in top_level}
    for comment in top_level:
        comment.thread_replies = []
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id].thread_replies.append(comment)
    return top_level


def client_ip(request) -> str | None:
    """The reader's address, or None when it is not a valid one.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it received the request from to
    X-Forwarded-For, so the reader's is the N-th from the right; anything further left was written by the
    sender and is not trusted. With no trusted proxy the header is ignored: any client may send one."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    if proxies > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class PostViewMixin:
    """Readers get published posts; those who may edit posts preview any post through the same page."""

    def get_queryset(self):
        posts = Post.objects.all()
        if not self.request.user.has_perm("articles.change_post"):
            posts = posts.published()
        return posts


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series_list"] = Series.objects.prefetch_related(
            series_parts_prefetch(), ranked_entries_prefetch("parts__entries")
        )
        context["standalone_posts"] = Post.objects.published().with_comment_count().filter(series=None)
        return context


class PostDetailView(PostViewMixin, DetailView):
    model = Post

    def get_queryset(self):
        comments = Comment.objects.approved().order_by("created_at", "pk")
        return (
            super()
            .get_queryset()
            .select_related("series")
            .prefetch_related(
                "tags",
                ranked_entries_prefetch(),
                Prefetch("comments", queryset=comments, to_attr="approved_comments"),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = bubble_chart(self.object.ranked_entries)
        series = self.object.series
        if series is not None:
            context["series_parts"] = list(series.posts.in_series_plan().order_by("series_position", "pk"))
        context.update(self.comment_context(kwargs.get("comment_form")))
        return context

    def comment_context(self, form: CommentForm | None) -> dict:
        post = self.object
        threads = comment_threads(post.approved_comments)
        if form is None:
            reply_to = self.request.GET.get("reply_to", "")
            parent = next((c.pk for c in threads if str(c.pk) == reply_to), None)
            form = CommentForm(post=post, initial={**self.remembered_author(), "parent": parent})
        parent_id = str(form["parent"].value() or "")
        return {
            "comment_threads": threads,
            "comment_count": len(post.approved_comments),
            "comments_open": post.comments_open,
            "comment_form": form,
            "replying_to": next((c for c in threads if str(c.pk) == parent_id), None),
        }

    def remembered_author(self) -> dict:
        remembered = self.request.get_signed_cookie(REMEMBER_COOKIE, default=None, salt=REMEMBER_SALT)
        try:
            name, email = json.loads(remembered)
        except (TypeError, ValueError):
            return {}
        return {"author_name": name, "author_email": email, "remember": True}


class PostCommentView(PostDetailView):
    """POST only: a reader's comment. Refusals re-render the post page with the form as the reader filled it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = post = self.get_object()
        form = CommentForm(request.POST, post=post)
        if not post.comments_open:
            return self.refuse(form, COMMENTS_CLOSED, status=403)
        ip = client_ip(request)
        if not self.within_rate_limit("ip", ip or "unknown", settings.COMMENT_RATE_LIMIT_PER_IP):
            return self.refuse(form, RATE_LIMITED, status=429)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(comment_form=form), status=400)
        data = form.cleaned_data
        if not self.within_rate_limit("email", data["author_email"].lower(), settings.COMMENT_RATE_LIMIT_PER_EMAIL):
            return self.refuse(form, RATE_LIMITED, status=429)
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
            return self.refuse(form, COMMENTS_CLOSED, status=403)
        if submission.needs_moderator_email:
            notify_moderators_on_commit(submission.comment.pk)
        # Spam gets the same answer as everyone else: a bot learns nothing from the response.
        messages.success(request, AWAITING_MODERATION, extra_tags="comments")
        response = redirect(f"{post.get_absolute_url()}#comments")
        self.remember_author(response, form)
        return response

    def within_rate_limit(self, scope: str, key: str, limit: int) -> bool:
        return rate_limit_hit(scope=f"comment-{scope}", key=key, limit=limit, window=settings.COMMENT_RATE_LIMIT_WINDOW)

    def refuse(self, form: CommentForm, message: str, *, status: int):
        context = self.get_context_data(comment_form=form)
        context["comment_refusal"] = message
        response = self.render_to_response(context, status=status)
        if status == 429:
            response["Retry-After"] = str(settings.COMMENT_RATE_LIMIT_WINDOW)
        return response

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


class TagDetailView(DetailView):
    model = Tag

    def get_queryset(self):
        # A tag only drafts use has no page: its name alone would announce them.
        return Tag.objects.filter(Exists(Post.objects.published().filter(tags=OuterRef("pk"))))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posts"] = self.object.posts.published().with_comment_count().select_related("series")
        return context
