"""Helpers of the services that write models, in both apps."""

from django.utils.text import slugify


def unique_slug(model, text: str, *, instance=None, max_length: int = 100) -> str:
    base = (slugify(text) or "item")[:max_length]
    candidate, number = base, 2
    others = model.objects.exclude(pk=instance.pk) if instance and instance.pk else model.objects.all()
    while others.filter(slug=candidate).exists():
        candidate = f"{base[: max_length - 4]}-{number}"
        number += 1
    return candidate


def assign(instance, **fields) -> bool:
    """Set the fields that differ; True when any did, so callers save only real changes."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
