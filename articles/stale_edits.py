"""What an editor is told when their form was opened before someone else saved the post: who, when, what."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Post, PostRevision
from articles.revision_compare import post_revisions_compare


def changed_names(older, newer) -> list[str]:
    names = []
    for section in post_revisions_compare(older, newer):
        names += [change.label for change in section.changes if change.changed]
        names += [f"the entry {name}" for name, _ in section.rows]
    return names


def stale_edit_message(post: Post, opened_at: int):
    revisions = PostRevision.objects.filter(post=post).select_related("revision__user")
    latest = revisions.first()
    if latest is None:
        return "Someone else saved this post since you opened it."
    who = latest.revision.user.get_username() if latest.revision.user else "an import"
    when = timezone.localtime(latest.revision.date_created)
    base = revisions.filter(version=opened_at).first()
    what, link = "", ""
    if base is not None:
        names = changed_names(base.revision, latest.revision)
        what = f" They changed: {', '.join(names)}." if names else ""
        compare = reverse("admin:articles_post_revision_compare", args=[post.pk])
        link = f"{compare}?older={base.revision_id}&newer={latest.revision_id}"
    return format_html(
        "{} saved this post on {} since you opened it.{} Nothing of yours is saved yet: all you typed is below. "
        "{}Saving again replaces their changes with yours.",
        who,
        f"{when:%B %-d, %Y at %H:%M}",
        what,
        format_html('<a href="{}">Compare their version with the one you opened.</a> ', link) if link else "",
    )
