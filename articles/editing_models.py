"""How a post's editing stands: its version, a live post's draft, and what each revision of it was.

The revisions themselves (the post and its ranked list, serialized) are django-reversion's; articles.drafts
writes them."""

from django.db import models


class PostEditing(models.Model):
    """A post's editing state. `version` moves on with every save, so a form opened before another save is
    refused rather than silently overwriting it; `draft` is the revision holding a live post's unpublished
    changes (readers see the post's own rows until it is published)."""

    post = models.OneToOneField("articles.Post", on_delete=models.CASCADE, primary_key=True, related_name="editing")
    version = models.PositiveIntegerField(default=0)
    draft = models.ForeignKey("reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    draft_publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When the draft is to be published on its own; empty: when an editor does."
    )

    class Meta:
        verbose_name = "post's editing"

    def __str__(self):
        return f"{self.post_id} at version {self.version}"

    @property
    def has_draft(self) -> bool:
        return self.draft_id is not None


class PostRevision(models.Model):
    """What one of a post's revisions was: the version it made and how it came about."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        DRAFT = "draft", "Draft saved"
        AUTOSAVED = "autosaved", "Autosaved"
        PUBLISHED = "published", "Draft published"
        RESTORED = "restored", "Restored"
        IMPORTED = "imported", "Imported"

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, primary_key=True, related_name="post_revision"
    )
    post = models.ForeignKey("articles.Post", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind)
    is_draft = models.BooleanField(default=False, help_text="Readers did not see it: a live post's draft.")

    class Meta:
        ordering = ["-version"]
        indexes = [models.Index(fields=["post", "version"], name="post_revision_version")]

    def __str__(self):
        return f"{self.get_kind_display()}: version {self.version} of post {self.post_id}"
