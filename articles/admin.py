"""Editors' admin for series, posts, their ranked lists and tags; moderators' admin for comments is
articles.comment_admin."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField

from articles.admin_forms import ListEntryForm, ListEntryFormSet, MarkdownEditor, MarkdownText, PostForm
from articles.comment_admin import CommentInline
from articles.compose_admin import TAKE_FIGURES, PostComposingAdminMixin, may_add_by_address
from articles.composing import library_figures_state, post_publish_now, post_schedule_note
from articles.draft_admin import PostDraftsAdminMixin
from articles.drafts import post_entries_as_edited
from articles.models import ListEntry, Post, PostEditing, Series, Subscription, Tag
from articles.pages import PostParts
from core.page_generations import PageGenerationsAdminMixin
from libraries.admin import LibraryAdmin, ReadOnlyInline
from libraries.models import Library

# The change form's own buttons (templates/admin/articles/post/change_form.html).
SAVE_AND_PREVIEW, PUBLISH_NOW = "_save_and_preview", "_publish_now"
COMPOSE_BUTTONS = {TAKE_FIGURES, SAVE_AND_PREVIEW, PUBLISH_NOW}


class ListEntryInline(admin.StackedInline):
    """The ranked list, an entry a compact block: its place and library, its figures as printed beside
    today's, and its description in the Markdown editor on a row of its own."""

    model = ListEntry
    verbose_name, verbose_name_plural = "entry", "ranked list"
    form = ListEntryForm
    formset = ListEntryFormSet
    extra = 1
    autocomplete_fields = ["library"]
    fieldsets = [
        (
            None,
            {"fields": [("rank", "library", "printed_name"), ("contributors", "commits", "stars", "figures_today")]},
        ),
        (None, {"fields": ["description"]}),
    ]
    readonly_fields = ["figures_today"]
    ordering = ["rank"]
    classes = ["ranked-list"]
    formfield_overrides = {
        models.TextField: {"form_class": MarkdownText, "widget": MarkdownEditor(attrs={"rows": 4})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("library")

    @admin.display(description="GitHub today")
    def figures_today(self, entry):
        if entry.pk is None:
            return "—"
        return format_html(
            '<span class="figures-today" data-entry="{}"{}>{}</span>',
            entry.pk,
            " data-fetching" if entry.library.is_awaiting_first_fetch else "",
            library_figures_state(entry.library),
        )


class LibraryPlacesInline(ReadOnlyInline):
    model = ListEntry
    verbose_name = "place in a post"
    verbose_name_plural = "places in posts"
    fields = ["post", "rank", "contributors", "commits", "stars"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post").order_by("-post__published_on")


admin.site.unregister(Library)


@admin.register(Library)
class LibraryWithPlacesAdmin(LibraryAdmin):
    """The libraries admin with each library's places in posts, which the libraries app knows nothing of."""

    inlines = [LibraryPlacesInline, *LibraryAdmin.inlines]


@admin.register(Post)
class PostAdmin(PostComposingAdminMixin, PostDraftsAdminMixin, PageGenerationsAdminMixin, MarkdownxModelAdmin):
    form = PostForm
    formfield_overrides = {
        **MarkdownxModelAdmin.formfield_overrides,
        MarkdownxField: {"form_class": MarkdownText, "widget": MarkdownEditor},
        models.URLField: {"assume_scheme": "https"},
    }
    list_display = ["title", "publication", "series_place", "published_on", "figures_as_of", "entry_count"]
    list_filter = ["status", "series", "tags"]
    search_fields = ["title", "subtitle", "author", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    date_hierarchy = "published_on"
    inlines = [ListEntryInline, CommentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "subtitle",
                    "author",
                    ("status", "published_on", "published_time"),
                    "edit_version",
                ]
            },
        ),
        ("Series", {"fields": [("series", "series_position")]}),
        ("Content", {"fields": ["body", "figure_caption", "figures_as_of", "closing"]}),
        ("Attribution and tags", {"fields": ["source_url", "tags"]}),
        ("Comments", {"fields": [("comments_closed", "comments_close_after_days")]}),
        ("The ranked list", {"fields": ["add_from_github"]}),
    ]

    class Media:
        js = ["js/admin_ranked_list.js", "js/admin_post_autosave.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("series")
            .annotate(
                entry_total=Count("entries"),
                has_draft=Exists(PostEditing.objects.filter(post=OuterRef("pk"), draft__isnull=False)),
            )
        )

    def get_urls(self):
        own = [
            path(
                "<int:post_id>/figures-today/",
                self.admin_site.admin_view(self.figures_today_view),
                name="articles_post_figures_today",
            ),
            path(
                "<int:post_id>/markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name="articles_post_markdown_preview",
            ),
        ]
        return own + super().get_urls()

    def get_fieldsets(self, request, obj=None):
        """Adding libraries by address creates libraries and entries: only for those who may do both. A live
        post's changes may be set to be published at a time."""
        fieldsets = super().get_fieldsets(request, obj)
        if getattr(request, "post_drafted", False):
            fieldsets = [*fieldsets, ("Publishing the changes", {"fields": ["publish_changes_at"]})]
        if may_add_by_address(request.user):
            return fieldsets
        return [(name, options) for name, options in fieldsets if "add_from_github" not in options["fields"]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editing = getattr(request, "post_editing", None)
        if not may_add_by_address(request.user):
            form.base_fields.pop("add_from_github", None)  # a declared field: in the form whatever the fieldsets
        if not getattr(request, "post_drafted", False):
            form.base_fields.pop("publish_changes_at", None)
        if obj is not None and "body" in form.base_fields:
            preview = reverse("admin:articles_post_markdown_preview", args=[obj.pk])
            form.base_fields["body"].widget = MarkdownEditor(preview_url=preview)
        return form

    @admin.display(description="Series (part)", ordering="series_position")
    def series_place(self, post):
        if post.series is None:
            return "—"
        return f"{post.series} ({post.series_position})" if post.series_position else str(post.series)

    @admin.display(description="Status", ordering="status")
    def publication(self, post):
        """What readers see of it: scheduled posts are not yet published, and a live post may have a draft."""
        if post.status == Post.Status.PUBLISHED and not post.is_readable:
            return f"Scheduled for {timezone.localtime(post.comes_out_at):%b %-d, %Y, %H:%M}"
        if post.has_draft:
            return f"{post.get_status_display()} · unpublished changes (draft)"
        return post.get_status_display()

    @admin.display(description="Entries", ordering="entry_total")
    def entry_count(self, post):
        return post.entry_total

    def save_model(self, request, obj, form, change):
        request.post_was_out = was_out = change and Post.objects.published().filter(pk=obj.pk).exists()
        if PUBLISH_NOW in request.POST and not getattr(request, "post_drafted", False):
            post_publish_now(obj, was_out=was_out)
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if getattr(request, "post_drafted", False):
            return super().response_change(request, obj)
        if PUBLISH_NOW in request.POST or (obj.status == Post.Status.PUBLISHED and not obj.is_readable):
            self.message_user(request, post_schedule_note(obj), messages.SUCCESS)
        if SAVE_AND_PREVIEW in request.POST:
            return HttpResponseRedirect(obj.get_absolute_url())
        # Back to the post's page (from the add page too); libraries just added by address are being fetched,
        # and the page follows it.
        if COMPOSE_BUTTONS & request.POST.keys() or request.POST.get("add_from_github", "").strip():
            return HttpResponseRedirect(reverse("admin:articles_post_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if COMPOSE_BUTTONS & request.POST.keys():
            return self.response_change(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def figures_today_view(self, request, post_id):
        """What the ranked list's "GitHub today" column says now, for the page to follow a fetch."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        post = get_object_or_404(Post, pk=post_id)
        entries = post_entries_as_edited(post)  # a live post's form shows its draft's entries; read, never written
        libraries = Library.objects.in_bulk({library_id for _, library_id in entries})
        states = {
            str(entry_id): {
                "text": library_figures_state(libraries[library_id]),
                "fetching": libraries[library_id].is_awaiting_first_fetch,
            }
            for entry_id, library_id in entries
            if library_id in libraries
        }
        return JsonResponse({"entries": states})

    def markdown_preview_view(self, request, post_id):
        """The body's preview as readers see it: the series' parts in place of `[series]`."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        post = get_object_or_404(Post.objects.select_related("series"), pk=post_id)
        content = request.POST.get("content", "")
        return TemplateResponse(
            request,
            "admin/articles/post/body_preview.html",
            {"post": post, "body": content, "parts": PostParts(post)},
        )


@admin.register(Series)
class SeriesAdmin(PageGenerationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "plan_date"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Tag)
class TagAdmin(PageGenerationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Readers' addresses: editors see and may remove them; nobody types them in."""

    list_display = ["email", "part", "series", "created_at", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "series"]
    search_fields = ["email"]
    readonly_fields = ["email", "part", "series", "created_at", "confirmation_sent_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
