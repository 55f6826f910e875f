"""The admin's history of an object as revisions: who saved what when, any two compared side by side, and one
restored. The app's admin says what its revisions are, how two compare and what restoring one does."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Revision

from core.revisions import FieldChange


@dataclass
class RevisionRow:
    """A line of the history: a revision and what it was."""

    revision: Revision
    label: str
    note: str = ""


@dataclass
class CompareSection:
    """Part of a compare page: a heading and rows of fields, or a table of its own (a post's ranked list)."""

    title: str
    changes: list[FieldChange] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[FieldChange]]] = field(default_factory=list)


class RevisionHistoryAdminMixin:
    """History, compare and restore views for a ModelAdmin. Subclasses give `revision_rows(obj)` (newest first),
    `revision_compare(obj, older, newer)` (a list of CompareSection) and `revision_restore(request, obj, revision)`
    (saves, and returns the message to show)."""

    object_history_template = "admin/revisions/history.html"
    restore_note = "Restoring a version saves it as the current one; the history keeps every version."

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.revision_compare_view),
                name=f"{app}_{model}_revision_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                self.admin_site.admin_view(self.revision_restore_view),
                name=f"{app}_{model}_revision_restore",
            ),
        ]
        return own + super().get_urls()

    def _revision_object(self, request, object_id, *, change: bool):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        allowed = (
            self.has_change_permission(request, obj) if change else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._revision_object(request, object_id, change=False)
        rows = self.revision_rows(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "rows": rows,
            "may_restore": self.has_change_permission(request, obj),
            "restore_note": self.restore_note,
            "compare_url": reverse(self._revision_url("revision_compare"), args=[obj.pk]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def revision_compare_view(self, request, object_id):
        obj = self._revision_object(request, object_id, change=False)
        known = {row.revision.pk: row for row in self.revision_rows(obj)}
        try:
            chosen = sorted({int(request.GET["older"]), int(request.GET["newer"])})
        except (KeyError, ValueError):
            chosen = []
        if len(chosen) != 2 or not set(chosen) <= known.keys():
            messages.error(request, "Choose two different versions to compare.")
            return HttpResponseRedirect(reverse(self._revision_url("history"), args=[obj.pk]))
        older, newer = known[chosen[0]], known[chosen[1]]
        sections = self.revision_compare(obj, older.revision, newer.revision)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare two versions of {obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "older": older,
            "newer": newer,
            "sections": sections,
            "unchanged": not any(change.changed for section in sections for change in self._section_changes(section)),
            "may_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/revisions/compare.html", context)

    @staticmethod
    def _section_changes(section: CompareSection):
        yield from section.changes
        for _, cells in section.rows:
            yield from cells

    def revision_restore_view(self, request, object_id, revision_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._revision_object(request, object_id, change=True)
        row = next((row for row in self.revision_rows(obj) if row.revision.pk == revision_id), None)
        if row is None:
            raise Http404("No such version of this object.")
        try:
            messages.success(request, self.revision_restore(request, obj, row.revision))
        except ValidationError as refusal:
            messages.error(request, f"Not restored: {' '.join(refusal.messages)}")
            return HttpResponseRedirect(reverse(self._revision_url("history"), args=[obj.pk]))
        return HttpResponseRedirect(reverse(self._revision_url("change"), args=[obj.pk]))

    def _revision_url(self, view: str) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"
