"""The post admin's forms: Markdown fields that keep text as stored, a ranked list reordered by rank numbers
(or by dragging) with blank ranks going to the end, and the GitHub addresses of libraries to add."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from markdownx.widgets import AdminMarkdownxWidget

from articles.composing import entries_make_room
from articles.models import ListEntry, Post, PostEditing
from articles.stale_edits import stale_edit_message
from libraries.names import NotARepositoryAddress, repository_from_address

# A list is a few dozen entries; a bound keeps the ranks moved out of the way while saving within the column.
MAX_RANK = 1000


class MarkdownText(forms.CharField):
    """A Markdown textarea's text with a browser's CRLF line ends made LF, as stored: a post sent back
    untouched changes nothing and records no change."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class MarkdownEditor(AdminMarkdownxWidget):
    """django-markdownx's editor with a labelled preview, rendered by `preview_url` when given (a post's
    own, where the preview shows the series' parts in place of `[series]` as readers see them)."""

    template_name = "admin/markdown_editor.html"

    def __init__(self, attrs=None, *, preview_url: str = ""):
        super().__init__(attrs)
        self.preview_url = preview_url

    def add_markdownx_attrs(self, attrs):
        attrs = super().add_markdownx_attrs(attrs)
        if self.preview_url:
            attrs["data-markdownx-urls-path"] = self.preview_url
        return attrs


class RepositoryAddresses(forms.CharField):
    """GitHub repositories' addresses, one a line: ("owner", "repo") pairs, every bad line named."""

    widget = forms.Textarea(attrs={"rows": 2, "cols": 60, "placeholder": "https://github.com/owner/repository"})

    def to_python(self, value):
        repositories, errors = [], []
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            try:
                repository = repository_from_address(line)
            except NotARepositoryAddress as error:
                errors.append(str(error))
                continue
            if repository not in repositories:
                repositories.append(repository)
        if errors:
            raise forms.ValidationError(errors)
        return repositories

    def has_changed(self, initial, data):
        return bool((data or "").strip())


def https_by_default(model_field, **kwargs):
    """Form fields as the model's, with an address typed without a scheme taken as https."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class PostForm(forms.ModelForm):
    add_from_github = RepositoryAddresses(
        required=False,
        label="Add by GitHub address",
        help_text=(
            "One repository's address a line (https://github.com/owner/repository). Each goes to the end of "
            "the list when you save; a library new to the catalogue is created and its figures fetched from "
            "GitHub at once."
        ),
    )

    edit_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    publish_changes_at = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        label="Publish the changes at",
        help_text="Readers see the draft from this time on (the site's time zone); empty: when you publish it.",
    )
    # The post's editing state, given by the admin for each request: the version a save must have been opened at.
    editing: PostEditing | None = None
    # What GitHub said of each address, asked by the admin before the form is read (compose_admin).
    repository_lookups: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.editing is not None:
            self.fields["edit_version"].initial = self.editing.version

    def clean_add_from_github(self):
        """The libraries the addresses name, with whether each is new; every address GitHub refused, named."""
        found, refusals = [], []
        for owner, repo in self.cleaned_data.get("add_from_github") or []:
            lookup = self.repository_lookups.get((owner.lower(), repo.lower()))
            if isinstance(lookup, tuple):
                found.append(lookup)
            else:
                refusals.append(lookup or f"{owner}/{repo} could not be checked with GitHub: try again.")
        if refusals:
            raise forms.ValidationError(refusals)
        return found

    def clean_publish_changes_at(self):
        moment = self.cleaned_data.get("publish_changes_at")
        if moment is not None and moment <= timezone.now():
            raise forms.ValidationError("A time still to come; to publish the changes now, use “Publish the changes”.")
        return moment

    def clean(self):
        cleaned_data = super().clean()
        opened_at, editing = cleaned_data.get("edit_version"), self.editing
        if editing is not None and opened_at is not None and opened_at != editing.version:
            # The form comes back with all that was typed, now based on the current version: saving it again
            # is a deliberate choice to replace the other save.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = str(editing.version)
            raise forms.ValidationError(stale_edit_message(self.instance, opened_at))
        return cleaned_data

    class Meta:
        model = Post
        formfield_callback = https_by_default
        fields = [
            "title",
            "slug",
            "subtitle",
            "author",
            "status",
            "published_on",
            "published_time",
            "series",
            "series_position",
            "body",
            "figure_caption",
            "figures_as_of",
            "closing",
            "source_url",
            "tags",
            "comments_closed",
            "comments_close_after_days",
        ]
        help_texts = {"title": "A “Top X …” title takes its number from the ranked list when saved."}


class PostTextForm(forms.ModelForm):
    """What autosave keeps of a post while an editor types: its words, checked as a save would check them."""

    body = MarkdownText(required=False)
    closing = MarkdownText(required=False)

    class Meta:
        model = Post
        fields = ["title", "subtitle", "body", "figure_caption", "closing"]

    def descriptions(self) -> dict[int, str]:
        """The entries' descriptions sent with it, by entry id (only saved entries have one)."""
        found = {}
        for key, value in self.data.items():
            if key.startswith("entries-") and key.endswith("-id") and value.isdigit():
                description = self.data.get(key.removesuffix("-id") + "-description")
                if description is not None:
                    found[int(value)] = MarkdownText(required=False).clean(description)
        return found


class ListEntryForm(forms.ModelForm):
    rank = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_RANK,
        help_text="Empty: the end of the list.",
        widget=forms.NumberInput(attrs={"class": "entry-rank", "style": "width: 4em"}),
    )

    class Meta:
        model = ListEntry
        fields = ["rank", "library", "printed_name", "contributors", "commits", "stars", "description"]


class ListEntryFormSet(BaseInlineFormSet):
    """Ranks as the editor left them (blank ones after the others); entries saved in any order without two
    of them ever holding one rank in the database on the way."""

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.has_changed() or form.instance.pk]
        kept = [form for form in kept if hasattr(form, "cleaned_data") and not self._should_delete_form(form)]
        last = max((form.cleaned_data.get("rank") or 0 for form in kept), default=0)
        for form in kept:
            if form.cleaned_data.get("rank") is None and form.cleaned_data.get("library"):
                last += 1
                form.cleaned_data["rank"] = form.instance.rank = last

    def save_existing_objects(self, commit=True):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and ("rank" in form.changed_data or self._should_delete_form(form))
        ]
        if commit and moving:
            entries_make_room(post=self.instance, entry_ids=moving)
        return super().save_existing_objects(commit)
