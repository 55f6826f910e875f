"""Full-text search on PostgreSQL (django.contrib.postgres): each searchable model keeps a stored search vector,
rewritten whenever one of its rows is saved. On another database the field stays empty and searching falls
back to plain substring matching (articles.search)."""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.db.models.signals import post_save

SEARCH_CONFIG = "english"


def is_full_text() -> bool:
    return connection.vendor == "postgresql"


def weighted_vector(weights: dict[str, str]) -> SearchVector:
    """A vector of the named fields, each weighted A (the most telling) to D; JSON fields are read as text."""
    vectors = [
        SearchVector(
            Coalesce(Cast(name, TextField()), Value(""), output_field=TextField()), weight=weight, config=SEARCH_CONFIG
        )
        for name, weight in weights.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_vector_update(model, pks, weights: dict[str, str]) -> None:
    """Rewrite the stored vector of these rows (PostgreSQL only; a no-op elsewhere)."""
    if is_full_text():
        model.objects.filter(pk__in=pks).update(search_vector=weighted_vector(weights))


GIN_INDEX_SQL = 'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("search_vector")'


def gin_index_create(table: str, name: str):
    """For a migration: the GIN index that makes the vector fast, on PostgreSQL only."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(GIN_INDEX_SQL.format(name=name, table=table))

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return create, drop


def search_vector_kept(model) -> None:
    """Rewrite a row's vector whenever it is saved (fixtures loaded raw are left to the next save)."""

    def update(sender, instance, raw=False, **kwargs):
        if not raw:
            search_vector_update(sender, [instance.pk], sender.SEARCH_WEIGHTS)

    post_save.connect(update, sender=model, weak=False, dispatch_uid=f"search-vector-{model._meta.label}")


def search_vectors_fill(app_label: str, model_name: str, weights: dict[str, str]):
    """For a migration: every existing row's vector (PostgreSQL only)."""

    def fill(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            apps.get_model(app_label, model_name).objects.update(search_vector=weighted_vector(weights))

    return fill
