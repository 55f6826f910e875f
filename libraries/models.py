"""Libraries and the snapshot history of their GitHub figures (posts and their ranked lists live in articles)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Min, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from libraries.names import GITHUB_OWNER, GITHUB_REPO

INACTIVE_AFTER = timedelta(days=365)


def figures_today_since() -> datetime:
    """Figures fetched since this moment are shown as "today"; older ones with their date."""
    return timezone.now() - timedelta(hours=settings.GITHUB_FIGURES_TODAY_HOURS)


def next_figures_change() -> datetime | None:
    """When the next library's figures stop being "today" (pages must not keep saying so)."""
    oldest = Library.objects.filter(last_refreshed_at__gt=figures_today_since()).aggregate(Min("last_refreshed_at"))
    since = oldest["last_refreshed_at__min"]
    return since + timedelta(hours=settings.GITHUB_FIGURES_TODAY_HOURS) if since else None


class LibraryQuerySet(models.QuerySet):
    def without_repository(self):
        return self.filter(Q(github_owner="") | Q(github_repo=""))

    def with_repository(self):
        return self.exclude(github_owner="").exclude(github_repo="")

    def due_for_refresh(self, now):
        """Libraries to ask GitHub about now: a missing or blocked repository waits for its next check."""
        return self.with_repository().filter(Q(next_check_after__isnull=True) | Q(next_check_after__lte=now))

    def due_for_scheduled_refresh(self, now, *, min_interval):
        """As `due_for_refresh`, less those refreshed within `min_interval`: a schedule set to run every
        minute must not spend GitHub's budget, or write a snapshot a minute, for figures that barely move."""
        return self.due_for_refresh(now).exclude(last_refreshed_at__gt=now - min_interval)

    def missing(self):
        return self.filter(repository_status=Library.RepositoryStatus.MISSING)

    def blocked(self):
        return self.filter(repository_status=Library.RepositoryStatus.BLOCKED)

    def archived(self):
        return self.filter(archived=True)

    def failing(self):
        """The last attempt failed: an error newer than the last successful refresh."""
        return self.filter(last_error_at__isnull=False).filter(
            Q(last_refreshed_at__isnull=True) | Q(last_error_at__gt=F("last_refreshed_at"))
        )


class Library(models.Model):
    SEARCH_WEIGHTS = {"name": "A", "aliases": "A", "github_repo": "B", "description": "C"}

    class RepositoryStatus(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "On GitHub"
        MISSING = "missing", "Missing (GitHub answers 404)"
        BLOCKED = "blocked", "Blocked (GitHub answers 451)"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names the articles use for it, one a line (sklearn, Scikit-learn)."
    )
    github_owner = models.CharField(max_length=100, blank=True, validators=[GITHUB_OWNER])
    github_repo = models.CharField(max_length=100, blank=True, validators=[GITHUB_REPO])
    homepage = models.URLField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="One or two plain sentences.")
    imported_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="A hash of what the last import wrote; once it differs, imports skip this.",
    )

    # Written by the GitHub refresh only; readers see these as "today".
    github_id = models.BigIntegerField(
        null=True, blank=True, editable=False, help_text="GitHub's repository id: it survives renames and transfers."
    )
    repository_status = models.CharField(
        max_length=10, choices=RepositoryStatus, default=RepositoryStatus.UNCHECKED, editable=False
    )
    archived = models.BooleanField(default=False, editable=False, help_text="Archived (read-only) on GitHub.")
    moved_from = models.CharField(
        max_length=201,
        blank=True,
        editable=False,
        help_text="The repository's full name before GitHub moved it (a rename or a transfer).",
    )
    stars = models.PositiveIntegerField(null=True, blank=True, editable=False)
    forks = models.PositiveIntegerField(null=True, blank=True, editable=False)
    contributors = models.PositiveIntegerField(null=True, blank=True, editable=False)
    commits = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Commits on the default branch."
    )
    open_issues = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Open issues and pull requests, as GitHub counts them."
    )
    watchers = models.PositiveIntegerField(null=True, blank=True, editable=False)
    pushed_at = models.DateTimeField(null=True, blank=True, editable=False)
    default_branch = models.CharField(max_length=100, blank=True, editable=False)
    github_etags = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The ETag of each endpoint's last answer."
    )
    last_refreshed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The last time GitHub's figures were fetched successfully."
    )
    last_refresh_notes = models.TextField(
        blank=True,
        editable=False,
        help_text="What the last successful refresh kept or followed: a figure it did not believe, a move.",
    )
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_check_after = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Not asked about before: a missing or blocked repository, or one whose last attempts failed.",
    )
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL's, kept by libraries.signals
    failures_in_a_row = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Failed attempts since the last success; each defers the next check."
    )

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "libraries"
        ordering = [Lower("name")]  # "Caffe" before "CNTK", "scikit-learn" among the s

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

    @property
    def is_missing(self) -> bool:
        return self.repository_status == self.RepositoryStatus.MISSING

    @property
    def is_blocked(self) -> bool:
        return self.repository_status == self.RepositoryStatus.BLOCKED

    @property
    def has_status_mark(self) -> bool:
        """Readers see a mark beside it: missing or blocked on GitHub, or archived."""
        return self.is_missing or self.is_blocked or self.archived or bool(self.moved_from) or self.is_inactive

    @property
    def is_inactive(self) -> bool:
        """No push for over INACTIVE_AFTER (a year): maintained elsewhere, finished, or abandoned."""
        return bool(self.pushed_at and self.pushed_at < timezone.now() - INACTIVE_AFTER)

    @property
    def is_failing(self) -> bool:
        """What `Library.objects.failing()` selects, for one library in hand: the last attempt failed."""
        return bool(
            self.last_error_at and (self.last_refreshed_at is None or self.last_error_at > self.last_refreshed_at)
        )

    @property
    def is_awaiting_first_fetch(self) -> bool:
        """Has a repository GitHub was never asked about, or never answered: its figures are still to come."""
        return self.has_repository and self.last_refreshed_at is None and self.last_error_at is None

    @property
    def figures_are_today(self) -> bool:
        """Fetched recently enough to be called today's; False for figures kept while refreshes fail."""
        return bool(self.last_refreshed_at and self.last_refreshed_at > figures_today_since())


class StatsSnapshot(models.Model):
    """GitHub's figures for one library at one refresh (what the posts printed is on their list entries)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField()
    stars = models.PositiveIntegerField(null=True, blank=True)
    forks = models.PositiveIntegerField(null=True, blank=True)
    contributors = models.PositiveIntegerField(null=True, blank=True)
    commits = models.PositiveIntegerField(null=True, blank=True)
    open_issues = models.PositiveIntegerField(
        null=True, blank=True, help_text="Open issues and pull requests, as GitHub counts them."
    )
    watchers = models.PositiveIntegerField(null=True, blank=True)
    run_id = models.CharField(max_length=64, blank=True, help_text="The refresh run that took them (one per library).")

    class Meta:
        ordering = ["library", "-taken_at"]
        get_latest_by = "taken_at"
        constraints = [
            models.UniqueConstraint(
                fields=["library", "run_id"], condition=~Q(run_id=""), name="one_github_snapshot_per_run"
            ),
        ]

    def __str__(self):
        return f"{self.library} on GitHub {self.taken_at:%Y-%m-%d}"
