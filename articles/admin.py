"""Editors' admin for series, posts and tags."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from markdownx.admin import MarkdownxModelAdmin

from articles.models import Post, Series, Tag
from libraries.models import ListEntry


class ListEntryInline(admin.TabularInline):
    model = ListEntry
    extra = 1
    autocomplete_fields = ["library"]
    fields = ["rank", "library", "contributors", "commits", "stars", "description"]
    ordering = ["rank"]


@admin.register(Post)
class PostAdmin(MarkdownxModelAdmin):
    formfield_overrides = {
        **MarkdownxModelAdmin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
    list_display = ["title", "status", "series", "series_position", "published_on", "figures_as_of", "entry_count"]
    list_filter = ["status", "series", "tags"]
    search_fields = ["title", "subtitle", "author", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    date_hierarchy = "published_on"
    inlines = [ListEntryInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "author", "status", "published_on"]}),
        ("Series", {"fields": ["series", "series_position"]}),
        ("Content", {"fields": ["body", "figure_caption", "figures_as_of", "closing"]}),
        ("Attribution and tags", {"fields": ["source_url", "tags"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("series").annotate(entry_total=Count("entries"))

    @admin.display(description="Entries", ordering="entry_total")
    def entry_count(self, post):
        return post.entry_total


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "plan_date"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
