"""Editors' admin for libraries: their posts and their figures history (read-only)."""

from django.contrib import admin
from django.db import models

from libraries.models import Library, ListEntry, StatsSnapshot


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PostEntryInline(ReadOnlyInline):
    model = ListEntry
    verbose_name = "place in a post"
    verbose_name_plural = "places in posts"
    fields = ["post", "rank", "contributors", "commits", "stars"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post").order_by("-post__published_on")


class SnapshotInline(ReadOnlyInline):
    model = StatsSnapshot
    verbose_name_plural = "figures history"
    fields = ["taken_at", "source", "post", "stars", "contributors", "commits", "forks", "open_issues"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post").order_by("-taken_at")


class RepositoryFilter(admin.SimpleListFilter):
    title = "repository"
    parameter_name = "repository"

    def lookups(self, request, model_admin):
        return [("none", "No repository (needs one)")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.without_repository()
        return queryset


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "repository", "homepage"]
    list_filter = [RepositoryFilter]
    search_fields = ["name", "aliases", "github_owner", "github_repo"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostEntryInline, SnapshotInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Repository", ordering="github_owner")
    def repository(self, library):
        return library.full_name or "— needs one —"
