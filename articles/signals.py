"""The articles app's answers to what the libraries app asks (libraries.signals)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.drafts import entry_versions_library_replace
from articles.models import ListEntry, Post
from articles.tasks import announce_post, on_commit_enqueue
from libraries.signals import library_merging, printed_figure_wanted


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


@receiver(library_merging)
def entries_move(sender, keep, duplicate, **kwargs):
    """The duplicate's places in posts become the kept library's. A post that ranked both keeps the kept one's
    entry, taking the duplicate's printed figures and words where its own are empty. Drafts and revisions that
    name the duplicate name the kept library from now on (so they can still be published and restored)."""
    notes = []
    for entry in ListEntry.objects.filter(library=duplicate).select_related("post"):
        both = ListEntry.objects.filter(post=entry.post, library=keep).first()
        if both is None:
            entry.library = keep
            entry.printed_name = entry.printed_name or duplicate.name
            entry.save(update_fields=["library", "printed_name"])
            continue
        for name in ("contributors", "commits", "stars", "description", "printed_name"):
            if getattr(both, name) in (None, "") and getattr(entry, name) not in (None, ""):
                setattr(both, name, getattr(entry, name))
        both.save()
        entry.delete()
        notes.append(f"“{entry.post}” listed both: its entry for {keep.name} (#{both.rank}) stays, #{entry.rank} went.")
    entry_versions_library_replace(duplicate.pk, keep.pk)
    return notes
