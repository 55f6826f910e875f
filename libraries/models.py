"""Libraries, the figures each post printed, and the snapshot history of their GitHub figures."""

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse


class LibraryQuerySet(models.QuerySet):
    def without_repository(self):
        return self.filter(Q(github_owner="") | Q(github_repo=""))

    def with_snapshots(self):
        return self.prefetch_related(
            Prefetch("snapshots", queryset=StatsSnapshot.objects.order_by("-taken_at", "-id"))
        )


class Library(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names the articles use for it, e.g. [\"sklearn\"]."
    )
    github_owner = models.CharField(max_length=100, blank=True)
    github_repo = models.CharField(max_length=100, blank=True)
    homepage = models.URLField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="One or two plain sentences.")

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "libraries"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("libraries:library_detail", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        return f"{self.github_owner}/{self.github_repo}" if self.has_repository else ""

    @property
    def has_repository(self) -> bool:
        return bool(self.github_owner and self.github_repo)

    @property
    def github_url(self) -> str:
        return f"https://github.com/{self.full_name}" if self.has_repository else ""

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class ListEntry(models.Model):
    """A library's place in one post: its rank, the post's words on it and the figures it printed."""

    post = models.ForeignKey("articles.Post", on_delete=models.CASCADE, related_name="entries")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="entries")
    rank = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True, help_text="Markdown. Raw HTML is removed.")
    contributors = models.PositiveIntegerField(null=True, blank=True)
    commits = models.PositiveIntegerField(null=True, blank=True)
    stars = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "list entries"
        ordering = ["post", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["post", "rank"], name="unique_rank_in_post"),
            models.UniqueConstraint(fields=["post", "library"], name="unique_library_in_post"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.library}"


class StatsSnapshot(models.Model):
    class Source(models.TextChoices):
        ARTICLE = "article", "Article"
        GITHUB = "github", "GitHub"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source)
    post = models.ForeignKey(
        "articles.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="snapshots",
        help_text="For article figures: the post that printed them.",
    )
    stars = models.PositiveIntegerField(null=True, blank=True)
    forks = models.PositiveIntegerField(null=True, blank=True)
    contributors = models.PositiveIntegerField(null=True, blank=True)
    commits = models.PositiveIntegerField(null=True, blank=True)
    open_issues = models.PositiveIntegerField(
        null=True, blank=True, help_text="Open issues and pull requests, as GitHub counts them."
    )

    class Meta:
        ordering = ["library", "-taken_at"]
        get_latest_by = "taken_at"
        constraints = [
            models.UniqueConstraint(
                fields=["library", "post"],
                condition=Q(source="article"),
                name="one_article_snapshot_per_post",
            ),
        ]

    def __str__(self):
        return f"{self.library} {self.get_source_display()} {self.taken_at:%Y-%m-%d}"
