"""Series, their posts and tags, the ranked list each post prints, and comments."""

import datetime
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from libraries.models import Library

# What the renderer does with HTML typed into Markdown: shows it as text (it never runs, and is never hidden).
MARKDOWN_HELP = "Markdown {where}. HTML typed here is shown as plain text, not applied."
_PART_NUMBER = re.compile(r"^top\s+(?:\d+|x)\s+", re.IGNORECASE)
_COUNTED_SLUG = re.compile(r"^top-(\d+|x)-(.+)$")


def slug_counted(slug: str, count: int) -> str:
    """A "Top N" part's address with its count: top-x-python-… becomes top-5-python-…; others as they are."""
    return _COUNTED_SLUG.sub(lambda match: f"top-{count}-{match.group(2)}", slug, count=1)


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
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag_detail", kwargs={"slug": self.slug})


def _out_by_now() -> Q:
    """Published posts whose day has come, and on their day, whose time (if any) has."""
    now = timezone.localtime()
    on_its_day = Q(published_on=now.date()) & (Q(published_time__isnull=True) | Q(published_time__lte=now.time()))
    return Q(status=Post.Status.PUBLISHED) & (Q(published_on__lt=now.date()) | on_its_day)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(_out_by_now())

    def renumbered_from(self, slug: str):
        """The part a "Top X" placeholder's address (the one announced as coming soon) leads to now that its
        list has a count (top-x-… is top-5-…)."""
        match = _COUNTED_SLUG.match(slug)
        if match is None or match.group(1) != "x":
            return self.none()
        return self.filter(slug__regex=rf"^top-(\d+|x)-{re.escape(match.group(2))}$").exclude(slug=slug)

    def in_series_plan(self):
        """Parts a reader sees in a series: published and coming soon, never draft or retired."""
        return self.filter(Q(status=Post.Status.COMING_SOON) | _out_by_now())

    def with_comment_count(self):
        """Annotate `comment_count`: the comments a reader can see, never pending, rejected or spam."""
        visible = Q(comments__status=Comment.Status.APPROVED) & (
            Q(comments__parent=None) | Q(comments__parent__status=Comment.Status.APPROVED)
        )
        return self.annotate(comment_count=Count("comments", filter=visible))


class Post(models.Model):
    SEARCH_WEIGHTS = {"title": "A", "subtitle": "B", "body": "C", "closing": "D"}

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMING_SOON = "coming_soon", "Coming soon"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired placeholder"

    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
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
    body = MarkdownxField(blank=True, help_text=MARKDOWN_HELP.format(where="shown above the ranked list"))
    closing = MarkdownxField(blank=True, help_text=MARKDOWN_HELP.format(where="shown below the ranked list"))
    figure_caption = models.CharField(
        max_length=300, blank=True, help_text="Caption of the chart shown above the ranked list."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True, help_text="Publication date.")
    published_time = models.TimeField(
        "at",
        null=True,
        blank=True,
        help_text="The time it comes out on its date (the site's time zone); empty: the start of the day.",
    )
    figures_as_of = models.DateField(
        null=True, blank=True, help_text="The date the printed GitHub figures were correct."
    )
    catalog = models.BooleanField(
        default=True, help_text="Show the post's contents (its sections and every ranked entry) beside it."
    )
    comments_closed = models.BooleanField(
        default=False,
        help_text="Close comments on this post. Approved comments stay visible; readers cannot add new ones.",
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Close comments this many days after the publication date. Leave empty to keep them open.",
    )
    imported_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="A hash of what the last import wrote; once it differs, imports skip this.",
    )
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL's, kept by articles.signals
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
    def comes_out_at(self) -> datetime.datetime | None:
        if self.published_on is None:
            return None
        moment = datetime.datetime.combine(self.published_on, self.published_time or datetime.time.min)
        return timezone.make_aware(moment)

    @property
    def is_readable(self) -> bool:
        """What `Post.objects.published()` selects, for one post already in hand."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_on is not None
            and self.comes_out_at <= timezone.now()
        )

    @property
    def part_key(self) -> str:
        return part_key(self.title)

    @property
    def comments_open(self) -> bool:
        """Readers may comment on a published post until an editor closes it or its N days are over."""
        today = timezone.localdate()
        if not self.is_readable or self.comments_closed:
            return False
        if self.comments_close_after_days is not None:
            return today <= self.published_on + datetime.timedelta(days=self.comments_close_after_days)
        return True


class ListEntryQuerySet(models.QuerySet):
    def published(self):
        """The places readers may see: in published posts, never a draft's or a future post's."""
        return self.filter(post__in=Post.objects.published())


class ListEntry(models.Model):
    """A library's place in one post: its rank, the post's words on it and the figures it printed."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="entries")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="entries")
    printed_name = models.CharField(
        max_length=120,
        blank=True,
        help_text='The name as the post printed it ("Scikit-learn"); when empty, the library\'s name.',
    )
    rank = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True, help_text=MARKDOWN_HELP.format(where="about this library"))
    contributors = models.PositiveIntegerField(null=True, blank=True)
    commits = models.PositiveIntegerField(null=True, blank=True)
    stars = models.PositiveIntegerField(null=True, blank=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "list entries"
        ordering = ["post", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["post", "rank"], name="unique_rank_in_post"),
            models.UniqueConstraint(fields=["post", "library"], name="unique_library_in_post"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.name}"

    @property
    def name(self) -> str:
        """What readers see: the name the post printed; the library's page gives its catalogue name."""
        return self.printed_name or self.library.name

    @property
    def has_figures(self) -> bool:
        return any(figure is not None for figure in (self.contributors, self.commits, self.stars))

    @property
    def figures_as_of(self) -> datetime.date | None:
        """The day the post's figures were counted: its "as of" date, else its publication date."""
        return self.post.figures_as_of or self.post.published_on


def libraries_in_published_posts():
    """Libraries a reader may see: ranked in at least one published post."""
    ranked = ListEntry.objects.published().filter(library=OuterRef("pk"))
    return Library.objects.filter(Exists(ranked))


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What readers may see: approved comments, and replies only while what they answer is approved."""
        return self.filter(status=Comment.Status.APPROVED).filter(
            Q(parent=None) | Q(parent__status=Comment.Status.APPROVED)
        )

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def awaiting_notification(self):
        """Pending comments whose moderators have not been emailed yet (for instance, the broker was down)."""
        return self.pending().filter(notified_at=None)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    class HeldReason(models.TextChoices):
        LINKS = "links", "Too many links"
        HONEYPOT = "honeypot", "Filled in the hidden field"
        TOO_FAST = "too_fast", "Sent too soon after the form was shown"
        BAD_TOKEN = "bad_token", "Form token missing or forged"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The approved comment this one answers (replies are one level deep).",
    )
    author_name = models.CharField("name", max_length=80)
    author_email = models.EmailField("email", max_length=254, help_text="Never shown to readers.")
    body = models.TextField()
    body_hash = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the body, to store repeats once.")
    body_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The body rendered and sanitized when it was sent, so pages never run Markdown on it.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    held_reason = models.CharField(
        max_length=20, choices=HeldReason, blank=True, help_text="Why the comment was held or marked as spam."
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When moderators were emailed; empty while the email is still to be sent."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "author_email", "body_hash"], name="unique_comment_per_author"),
        ]
        indexes = [models.Index(fields=["post", "status", "created_at"], name="comment_post_status_created")]

    def __str__(self):
        return f"{self.author_name} on {self.post}"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"


class Subscription(models.Model):
    """A reader's "notify me": of one coming part, or of every new part of a series. Double opt-in: nothing
    is sent to an address but its confirmation until it is confirmed."""

    email = models.EmailField(max_length=254)
    part = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions", help_text="A coming part."
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions", help_text="Every part."
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "part"], name="one_subscription_per_part"),
            models.UniqueConstraint(fields=["email", "series"], name="one_subscription_per_series"),
            models.CheckConstraint(
                condition=Q(part__isnull=False, series__isnull=True) | Q(part__isnull=True, series__isnull=False),
                name="subscription_to_a_part_or_a_series",
            ),
        ]

    def __str__(self):
        return f"{self.email} for {self.part or self.series}"


class Announcement(models.Model):
    """An address told of a post once: the row is taken before the email goes, so a retried task, a second
    save or a second publication finds it and sends nothing."""

    email = models.EmailField(max_length=254)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="announcements")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "post"], name="one_announcement_per_address")]

    def __str__(self):
        return f"{self.post} to {self.email}"


# The editing state and revisions' kinds, in a module of their own; Django finds models imported here.
from articles.editing_models import PostEditing, PostRevision  # noqa: E402, F401
