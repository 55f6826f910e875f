"""The articles app's answers to what the libraries app asks (libraries.signals)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import ListEntry, Post
from articles.tasks import announce_post, on_commit_enqueue
from libraries.signals import printed_figure_wanted


@receiver(printed_figure_wanted)
def newest_printed_figure(sender, library, figure, **kwargs):
    """The figure the newest post that printed one gave for this library."""
    printed = ListEntry.objects.filter(library=library).exclude(**{figure: None}).order_by("-post__published_on")
    return printed.values_list(figure, flat=True).first()


@receiver(post_save, sender=Post, dispatch_uid="announce-published-post")
def announce_when_out(sender, instance, raw=False, **kwargs):
    """A post saved readable (an editor publishing it, an import) tells its subscribers; one whose date is still
    to come is announced by the hourly housekeeping once it arrives. Saving again sends nothing twice."""
    if not raw and instance.is_readable:
        on_commit_enqueue(announce_post, instance.pk)
