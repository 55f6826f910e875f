"""Series, their posts and tags."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

_PART_NUMBER = re.compile(r"^top\s+(?:\d+|x)\s+", re.IGNORECASE)


def part_key(title: str) -> str:
    """A series part's identity: its title without the count ("Top X …" is "Top 13 …")."""
    words = " ".join(title.lower().split())
    return _PART_NUMBER.sub("top ", words)


class Series(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    introduction = models.TextField(blank=True)
    plan_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Date of the post whose list of parts is in force (the newest imported).",
    )

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title"]

    def __str__(self):
        return self.title


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag_detail", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED, published_on__lte=timezone.localdate())

    def in_series_plan(self):
        """Parts a reader sees in a series: published and coming soon, never draft or retired."""
        return self.filter(
            Q(status=Post.Status.COMING_SOON)
            | Q(status=Post.Status.PUBLISHED, published_on__lte=timezone.localdate())
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMING_SOON = "coming_soon", "Coming soon"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired placeholder"

    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    series_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Order of this part in its series (1 is the first)."
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    subtitle = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=120, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    source_url = models.URLField(
        max_length=500, blank=True, help_text="Where the post was first published (shown as 'Reposted from')."
    )
    body = MarkdownxField(
        blank=True, help_text="Markdown shown above the ranked list. Raw HTML is removed."
    )
    closing = MarkdownxField(blank=True, help_text="Markdown shown below the ranked list.")
    figure_caption = models.CharField(
        max_length=300, blank=True, help_text="Caption of the chart shown above the ranked list."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True, help_text="Publication date.")
    figures_as_of = models.DateField(
        null=True, blank=True, help_text="The date the printed GitHub figures were correct."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_position"],
                condition=~Q(status="retired"),
                name="unique_position_in_series",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:post_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_on:
            raise ValidationError({"published_on": "A published post needs its publication date."})
        if self.series_position and not self.series_id:
            raise ValidationError({"series_position": "A position only means something within a series."})

    @property
    def is_readable(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def part_key(self) -> str:
        return part_key(self.title)
