"""The post admin's drafts and revisions: a live post's saves go to its draft (readers keep the published post
until an editor publishes it, now or at a set time), every save is a revision that can be compared and
restored, and a form opened before someone else's save is refused with what they changed, nothing typed lost."""

import json

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.admin_forms import PostTextForm
from articles.drafts import (
    StaleDraft,
    StaleEdit,
    post_draft_applied,
    post_draft_discard,
    post_draft_publish,
    post_draft_schedule,
    post_editing,
    post_is_drafted,
    post_revision_record,
    post_revision_restore,
    post_text_autosave,
    post_versions,
)
from articles.models import Post, PostRevision
from articles.revision_compare import post_revisions_compare
from core.revision_admin import RevisionHistoryAdminMixin, RevisionRow

PUBLISH_NOW, SAVE_AND_PREVIEW = "_publish_now", "_save_and_preview"
# The buttons after which the editor stays on the post's page (the composing ones, "Save and continue editing").
STAY_ON_THE_PAGE = {PUBLISH_NOW, "_take_figures", "_continue"}
AUTOSAVE_STALE = (
    "Not autosaved: someone else saved this post since you opened it. Your text is still here; saving the page "
    "shows what they changed."
)
NOTHING_CHANGED = "Nothing was changed, so nothing was saved: readers see the published post."
SAVED_AS_DRAFT = "Saved as a draft: readers still see the published post until you publish the changes."


class PostDraftsAdminMixin(RevisionHistoryAdminMixin):
    restore_note = (
        "Restoring brings back a version's words, tags, figures and ranked list (not its status, date or address); "
        "on a live post it becomes the draft, for you to publish."
    )

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<int:post_id>/preview/",
                self.admin_site.admin_view(self.draft_preview_view),
                name=f"{app}_{model}_preview",
            ),
            path(
                "<int:post_id>/autosave/",
                self.admin_site.admin_view(self.autosave_view),
                name=f"{app}_{model}_autosave",
            ),
            path(
                "<int:post_id>/draft/discard/",
                self.admin_site.admin_view(self.draft_discard_view),
                name=f"{app}_{model}_draft_discard",
            ),
        ]
        return own + super().get_urls()

    # The change page: a live post's form shows, and saves to, its draft.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        post = self.get_object(request, unquote(object_id)) if object_id else None
        with transaction.atomic():
            # Held until this save commits: a second save of the post waits, then finds the version moved on.
            editing = post_editing(post, for_update=request.method == "POST") if post else None
            request.post_editing = editing
            if post is None or not post_is_drafted(post, editing):
                response = super().changeform_view(request, object_id, form_url, extra_context)
                self._revision_keep(request, kind=PostRevision.Kind.SAVED)
                return response
            request.post_drafted = True
            context = {**(extra_context or {}), "draft": editing if editing.has_draft else None}
            try:
                with post_draft_applied(post, editing):
                    response = super().changeform_view(request, object_id, form_url, context)
                    if isinstance(response, TemplateResponse):
                        response.render()  # now, while the rows are the draft's
            except StaleDraft as error:
                messages.error(
                    request, f"The draft cannot be opened: {' '.join(error.messages)} Discard it, or restore a version."
                )
                return HttpResponseRedirect(reverse("admin:articles_post_history", args=[post.pk]))
            changed = self._revision_keep(request, kind=PostRevision.Kind.DRAFT)
            if changed is not None:
                self._draft_saved(request, post, changed=changed)
        return response

    def _revision_keep(self, request, *, kind) -> bool | None:
        """After a save (taken by `log_change`): keep what it changed as a revision, log it, and let the admin
        finish (`post_saved`); whether anything changed, None when the form did not save. A save that changed
        nothing records nothing."""
        saved = request.__dict__.pop("post_saved", None)
        if saved is None:
            return None
        post, versions, message = saved
        if message:
            added = message[0] == {"added": {}}
            text = LogEntry(change_message=json.dumps(message)).get_change_message()
            if kind == PostRevision.Kind.DRAFT:
                text = f"Draft: {text}"
            post_revision_record(post, versions, user=request.user, kind=kind, comment=text)
            log = super().log_addition if added else super().log_change
            log(request, post, message if kind != PostRevision.Kind.DRAFT else text)
        self.post_saved(request, post)
        return bool(message)

    def post_saved(self, request, post):
        """What the admin does once a save is kept (after a draft's rollback): nothing here."""

    def _draft_saved(self, request, post, *, changed: bool):
        publish_at = request.__dict__.pop("post_publish_changes_at", None)
        if PUBLISH_NOW in request.POST:
            if post_draft_publish(post, user=request.user):
                self.message_user(
                    request, f"“{post.title}” is published: readers see the changes now.", messages.SUCCESS
                )
            else:
                self.message_user(request, "Nothing to publish: readers already see the post as it is.")
        elif not changed:
            self.message_user(request, NOTHING_CHANGED)
        elif publish_at:
            post_draft_schedule(post, publish_at)
            when = timezone.localtime(publish_at)
            self.message_user(
                request, f"The changes are to be published on {when:%B %-d, %Y at %H:%M}.", messages.SUCCESS
            )
        else:
            self.message_user(request, SAVED_AS_DRAFT, messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.post_publish_changes_at = form.cleaned_data.get("publish_changes_at")

    def log_change(self, request, obj, message):
        """Called once the form and its inlines are saved (and the composing tools have run): the moment to take
        the post as it is now. It is logged with the revision it makes, after a draft's rollback."""
        message = message or getattr(request, "post_composed", None)
        request.post_saved = (obj, post_versions(obj), message)

    def log_addition(self, request, obj, message):
        self.log_change(request, obj, message)

    def response_change(self, request, obj):
        if not getattr(request, "post_drafted", False):
            return super().response_change(request, obj)
        if SAVE_AND_PREVIEW in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_post_preview", args=[obj.pk]))
        stay = STAY_ON_THE_PAGE & request.POST.keys() or request.POST.get("add_from_github", "").strip()
        if stay:
            return HttpResponseRedirect(reverse("admin:articles_post_change", args=[obj.pk]))
        if "_addanother" in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_post_add"))
        return HttpResponseRedirect(reverse("admin:articles_post_changelist"))

    # Preview and discard.

    def draft_preview_view(self, request, post_id):
        """The post as readers will see it once its draft is published (as they see it now, without one)."""
        from articles.views import PostPreviewView

        post = get_object_or_404(Post, pk=post_id)
        if not self.has_view_or_change_permission(request, post):
            raise PermissionDenied
        editing = post_editing(post)
        try:
            with post_draft_applied(post, editing):
                drafted = Post.objects.get(pk=post.pk)
                response = PostPreviewView.as_view(draft=editing if editing.has_draft else None)(
                    request, slug=drafted.slug, post_id=post.pk
                )
                response.render()
        except StaleDraft as error:
            messages.error(request, f"The draft cannot be shown: {' '.join(error.messages)}")
            return HttpResponseRedirect(reverse("admin:articles_post_change", args=[post.pk]))
        return response

    def draft_discard_view(self, request, post_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = get_object_or_404(Post, pk=post_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        if post_draft_discard(post):
            self.message_user(
                request, "Draft discarded: readers see the published post, and the history keeps the draft."
            )
        return HttpResponseRedirect(reverse("admin:articles_post_change", args=[post.pk]))

    def autosave_view(self, request, post_id):
        """Keep what the editor is typing (the page's script sends it every few seconds): JSON for the script."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = get_object_or_404(Post, pk=post_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        form = PostTextForm(request.POST, instance=Post.objects.get(pk=post.pk))
        opened_at = request.POST.get("edit_version", "")
        if not form.is_valid() or not opened_at.isdigit():
            errors = "; ".join(f"{form.fields[name].label}: {' '.join(e)}" for name, e in form.errors.items())
            return JsonResponse({"error": f"Not autosaved: {errors or 'the page is incomplete'}."}, status=400)
        texts = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            version = post_text_autosave(
                post, opened_at=int(opened_at), texts=texts, descriptions=form.descriptions(), user=request.user
            )
        except StaleEdit:
            return JsonResponse({"error": AUTOSAVE_STALE, "stale": True}, status=409)
        except StaleDraft as error:
            return JsonResponse({"error": f"Not autosaved: {' '.join(error.messages)}"}, status=409)
        drafted = post_is_drafted(post, post_editing(post))
        saved_at = f"{timezone.localtime():%H:%M}"
        text = f"Draft autosaved at {saved_at}." if drafted else f"Autosaved at {saved_at}."
        return JsonResponse({"version": version, "status": text})

    # The history: revisions, compared and restored.

    def history_view(self, request, object_id, extra_context=None):
        post = self.get_object(request, unquote(object_id))
        if post is not None and post_editing(post).has_draft and self.has_change_permission(request, post):
            extra_context = {
                **(extra_context or {}),
                "discard_url": reverse("admin:articles_post_draft_discard", args=[post.pk]),
            }
        return super().history_view(request, object_id, extra_context)

    def revision_rows(self, post):
        revisions = PostRevision.objects.filter(post=post).select_related("revision__user")
        editing = post_editing(post)
        rows = []
        for meta in revisions:
            note = ""
            if meta.revision_id == editing.draft_id:
                note = "The draft: not published yet."
            elif meta.is_draft:
                note = "A draft readers did not see."
            rows.append(RevisionRow(meta.revision, meta.get_kind_display(), note))
        return rows

    def revision_compare(self, post, older, newer):
        return post_revisions_compare(older, newer)

    def revision_restore(self, request, post, revision):
        if post_revision_restore(post, revision, user=request.user):
            return f"Restored as a draft of “{post.title}”: readers see the published post until you publish it."
        return f"Restored: “{post.title}” says what it did then."
