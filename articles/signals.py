"""The articles app's answers to what the libraries app asks (libraries.signals)."""

from django.dispatch import receiver

from articles.models import ListEntry
from libraries.signals import printed_figure_wanted


@receiver(printed_figure_wanted)
def newest_printed_figure(sender, library, figure, **kwargs):
    """The figure the newest post that printed one gave for this library."""
    printed = ListEntry.objects.filter(library=library).exclude(**{figure: None}).order_by("-post__published_on")
    return printed.values_list(figure, flat=True).first()
