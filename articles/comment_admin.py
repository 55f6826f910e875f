"""Moderators' admin for comments: the queue (pending first), one comment's page, and a post's comments
shown on the post's own page (moderation happens on each comment's page)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from articles.comments import comment_approve, comment_mark_spam, comment_moderate, comment_reject, moderator_emails
from articles.models import Comment
from core.page_generations import COMMENTS, PageGenerationsAdminMixin, comments_of

NO_MODERATOR_ADDRESS = (
    "Nobody is emailed about new comments: no moderator has an email address. Ask an administrator to give one "
    "to a member of the Moderators group; the comments waiting meanwhile are emailed within the hour after."
)


def comment_excerpt(comment: Comment) -> str:
    return Truncator(" ".join(comment.body.split())).chars(80)


class CommentInline(admin.TabularInline):
    """A post's comments, newest first; moderation happens on each comment's own page."""

    model = Comment
    fk_name = "post"
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-created_at"]
    fields = ["created_at", "author_name", "excerpt", "status", "held_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Comment")
    def excerpt(self, comment):
        return comment_excerpt(comment)


class CommentStatusFilter(admin.SimpleListFilter):
    """Opens on the pending queue; "All" has a value of its own, since no value means pending."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (self.ALL, "All")]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Comment)
class CommentAdmin(PageGenerationsAdminMixin, admin.ModelAdmin):
    list_display = ["excerpt", "post_title", "author", "held_reason", "status", "created_at"]
    list_display_links = ["excerpt"]
    # Only posts that have comments: moderators may not list posts (drafts' titles included).
    list_filter = [CommentStatusFilter, "held_reason", ("post", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["author_name", "author_email", "body"]
    ordering = ["-created_at"]
    actions = ["approve", "reject", "mark_spam"]
    fieldsets = [
        (None, {"fields": ["post_link", "parent_link", "author_name", "author_email", "body", "status"]}),
        ("Moderation", {"fields": ["held_reason", "moderated_by", "moderated_at", "notified_at"]}),
        ("Sender (never shown to readers)", {"fields": ["ip_address", "user_agent", "created_at"]}),
    ]
    readonly_fields = [
        "post_link",
        "parent_link",
        "author_name",
        "author_email",
        "body",
        "held_reason",
        "moderated_by",
        "moderated_at",
        "notified_at",
        "ip_address",
        "user_agent",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and not moderator_emails():  # an action's POST comes back here as a GET
            self.message_user(request, NO_MODERATOR_ADDRESS, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def page_generations_for(self, comment):
        return (COMMENTS, comments_of(comment.post.slug))

    @admin.display(description="Comment")
    def excerpt(self, comment):
        return comment_excerpt(comment)

    @admin.display(description="Post", ordering="post__title")
    def post_title(self, comment):
        return comment.post.title

    @admin.display(description="Author", ordering="author_name")
    def author(self, comment):
        return format_html("{}<br><small>{}</small>", comment.author_name, comment.author_email)

    @admin.display(description="Post")
    def post_link(self, comment):
        return format_html('<a href="{}">{}</a>', comment.post.get_absolute_url(), comment.post.title)

    @admin.display(description="In reply to")
    def parent_link(self, comment):
        if comment.parent is None:
            return "—"
        return format_html(
            '<a href="{}">{}: {}</a>',
            reverse("admin:articles_comment_change", args=[comment.parent_id]),
            comment.parent.author_name,
            comment_excerpt(comment.parent),
        )

    def save_model(self, request, obj, form, change):
        # The status is the only editable field; changing it is a moderation, recorded like an action's.
        if "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            comment_moderate(comment=obj, status=new_status, by=request.user)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, comment_approve, "%d comment approved.", "%d comments approved.")

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, comment_reject, "%d comment rejected.", "%d comments rejected.")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(
            request, queryset, comment_mark_spam, "%d comment marked as spam.", "%d comments marked as spam."
        )

    def _moderate(self, request, queryset, service, singular, plural):
        changed = sum(service(comment=comment, by=request.user) for comment in queryset)
        self.message_user(request, ngettext(singular, plural, changed) % changed)
