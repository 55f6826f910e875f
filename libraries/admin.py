"""Editors' admin for libraries: their figures history (read-only) and the GitHub refresh; their places in
posts are added by the articles admin."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import ngettext

from core.page_generations import PageGenerationsAdminMixin
from core.revision_admin import CompareSection, RevisionHistoryAdminMixin, RevisionRow
from libraries import schedule_admin  # noqa: F401 (the refresh schedule's admin, in place of django-celery-beat's)
from libraries.catalogue import library_former_name_keep
from libraries.catalogue_file import NAME_MAX_LENGTH
from libraries.merging import NothingToMerge, libraries_merge
from libraries.models import Library, StatsSnapshot
from libraries.revisions import (
    EDITORIAL_FIELDS,
    library_revision_record,
    library_revision_restore,
    library_versions,
    library_versions_compare,
)
from libraries.tasks import library_refresh_request

BROKER_DOWN = (
    "The task queue (the broker) did not answer, so no refresh was queued and nothing changed. Try again in a "
    "while; the scheduled refresh takes these libraries when it next runs."
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SnapshotInline(ReadOnlyInline):
    model = StatsSnapshot
    verbose_name_plural = "GitHub figures history"
    fields = ["taken_at", "stars", "contributors", "commits", "forks", "open_issues", "watchers"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-taken_at")


class AliasesField(forms.CharField):
    """A library's other names, one a line, instead of raw JSON; blank lines and repeats dropped."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        names, seen = [], set()
        for line in (value or "").splitlines():
            name = " ".join(line.split())
            if not name or name.lower() in seen:
                continue
            if len(name) > NAME_MAX_LENGTH:
                raise forms.ValidationError(f"“{name[:40]}…” is longer than {NAME_MAX_LENGTH} characters.")
            names.append(name)
            seen.add(name.lower())
        return names


class LibraryForm(forms.ModelForm):
    """Each field also carries the value it had when the form was opened. A field someone else changed since (an
    editor, or the refresh following a moved repository) keeps their value when this editor left it alone; when
    both changed it, the save is refused, naming the field, and what the editor typed comes back."""

    aliases = AliasesField(required=False, help_text=Library._meta.get_field("aliases").help_text)
    homepage = forms.URLField(max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Library
        fields = EDITORIAL_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in EDITORIAL_FIELDS:
            self.fields[name].show_hidden_initial = True

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or not self.is_bound:
            return cleaned_data
        # Locked until the admin's save commits: a second save of it waits, then compares with this one's.
        stored, conflicts = Library.objects.select_for_update().get(pk=self.instance.pk), []
        for name in EDITORIAL_FIELDS:
            field, opened_with = self.fields[name], self.data.get(self.add_initial_prefix(name))
            if (
                opened_with is None
                or name not in cleaned_data
                or not field.has_changed(getattr(stored, name), opened_with)
            ):
                continue
            if field.has_changed(cleaned_data[name], opened_with):
                conflicts.append(name)
            else:
                cleaned_data[name] = getattr(stored, name)  # only they changed it: theirs stays
        if conflicts:
            self.data = self.data.copy()  # the form comes back based on what is stored now: saving again is a choice
            for name in conflicts:
                self.data[self.add_initial_prefix(name)] = self.fields[name].prepare_value(getattr(stored, name))
            labels = ", ".join(str(self.fields[name].label) for name in conflicts)
            raise forms.ValidationError(
                f"Someone else changed {labels} since you opened this page, as you did. Nothing is saved yet: the "
                "fields below show your values, the history compares the versions. Saving again replaces theirs."
            )
        return cleaned_data


class RepositoryFilter(admin.SimpleListFilter):
    title = "repository"
    parameter_name = "repository"

    def lookups(self, request, model_admin):
        return [
            ("none", "No repository (needs one)"),
            ("missing", "Missing on GitHub (404)"),
            ("blocked", "Blocked on GitHub (451)"),
            ("archived", "Archived on GitHub"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "none":
                return queryset.without_repository()
            case "missing":
                return queryset.missing()
            case "blocked":
                return queryset.blocked()
            case "archived":
                return queryset.archived()
        return queryset


class RefreshFilter(admin.SimpleListFilter):
    title = "GitHub refresh"
    parameter_name = "refresh"

    def lookups(self, request, model_admin):
        return [("failing", "Failing (last attempt failed)"), ("never", "Never refreshed")]

    def queryset(self, request, queryset):
        match self.value():
            case "failing":
                return queryset.failing()
            case "never":
                return queryset.with_repository().filter(last_refreshed_at__isnull=True)
        return queryset


@admin.register(Library)
class LibraryAdmin(RevisionHistoryAdminMixin, PageGenerationsAdminMixin, admin.ModelAdmin):
    form = LibraryForm
    list_display = ["name", "repository", "stars_today", "last_refreshed_at", "needs_a_look"]
    list_filter = [RepositoryFilter, RefreshFilter]
    search_fields = ["name", "aliases", "github_owner", "github_repo"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SnapshotInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["refresh_github_figures", "merge_libraries"]
    readonly_fields = [
        "repository_status",
        "archived",
        "github_id",
        "stars",
        "contributors",
        "commits",
        "forks",
        "open_issues",
        "watchers",
        "pushed_at",
        "default_branch",
        "last_refreshed_at",
        "last_refresh_notes",
        "last_error",
        "last_error_at",
        "failures_in_a_row",
        "next_check_after",
    ]
    fieldsets = [
        (None, {"fields": EDITORIAL_FIELDS}),
        ("GitHub today (written by the refresh)", {"fields": readonly_fields}),
    ]

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            library_former_name_keep(library=obj, former_name=form.initial["name"])
        super().save_model(request, obj, form, change)
        if form.changed_data or not change:
            what = ", ".join(str(form.fields[name].label) for name in form.changed_data)
            library_revision_record(obj, user=request.user, comment=f"Changed {what}." if change else "Added.")

    def revision_rows(self, library):
        return [RevisionRow(version.revision, "Saved") for version in library_versions(library)]

    def revision_compare(self, library, older, newer):
        versions = {version.revision_id: version for version in library_versions(library)}
        return [CompareSection("The library", changes=library_versions_compare(versions[older.pk], versions[newer.pk]))]

    def revision_restore(self, request, library, revision):
        version = library_versions(library).get(revision=revision)
        library_revision_restore(library, version, user=request.user)
        return f"Restored: {library} says what it did then (GitHub's figures are today's)."

    @admin.display(description="Repository", ordering="github_owner")
    def repository(self, library):
        if not library.has_repository:
            return "— needs one —"
        flags = {
            Library.RepositoryStatus.MISSING: "missing",
            Library.RepositoryStatus.BLOCKED: "blocked",
        }.get(library.repository_status) or ("archived" if library.archived else "")
        return f"{library.full_name} ({flags})" if flags else library.full_name

    @admin.display(description="Stars today", ordering="stars")
    def stars_today(self, library):
        return f"{library.stars:,}" if library.stars is not None else "—"

    @admin.display(description="Last error or note", ordering="last_error_at")
    def needs_a_look(self, library):
        """The error, while the last attempt failed; else what the last refresh kept or followed, if anything."""
        if library.last_refresh_notes and not library.is_failing:
            return f"Note: {library.last_refresh_notes[:120]}"
        if not library.last_error:
            return "—"
        when = timezone.localtime(library.last_error_at).strftime("%Y-%m-%d %H:%M") if library.last_error_at else ""
        return f"{when}: {library.last_error[:120]}"

    @admin.action(description="Refresh GitHub figures now", permissions=["change"])
    def refresh_github_figures(self, request, queryset):
        library_ids = list(queryset.with_repository().values_list("pk", flat=True))
        if library_refresh_request(library_ids) is None:
            self.message_user(request, BROKER_DOWN, messages.ERROR)
            return
        skipped = queryset.count() - len(library_ids)
        self.message_user(
            request,
            ngettext(
                "Queued a refresh of %(count)d library; its figures change when the worker is done.",
                "Queued a refresh of %(count)d libraries; their figures change when the worker is done.",
                len(library_ids),
            )
            % {"count": len(library_ids)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d library has no repository and was left out.",
                    "%(count)d libraries have no repository and were left out.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description="Merge the selected libraries into one", permissions=["change", "delete"])
    def merge_libraries(self, request, queryset):
        """One library where a repository became two: asks which to keep, then merges the others into it."""
        libraries = list(queryset.order_by(F("last_refreshed_at").desc(nulls_last=True), "pk"))
        if len(libraries) < 2:
            self.message_user(request, "Choose two libraries or more to merge.", messages.WARNING)
            return None
        if "merge" not in request.POST:
            context = {**self.admin_site.each_context(request), "opts": self.opts, "libraries": libraries}
            context["title"] = "Merge libraries"
            return TemplateResponse(request, "admin/libraries/library/merge_confirmation.html", context)
        keep = next((library for library in libraries if str(library.pk) == request.POST.get("keep")), None)
        if keep is None:
            self.message_user(request, "Choose the library to keep.", messages.ERROR)
            return None
        try:
            result = libraries_merge(keep=keep, duplicates=libraries, user=request.user)
        except NothingToMerge as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return None
        self.message_user(request, f"Merged {', '.join(result.merged)} into {keep.name}.", messages.SUCCESS)
        for note in result.notes:
            self.message_user(request, note, messages.INFO)
        return None
