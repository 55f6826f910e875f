"""A post's ranked list now belongs to the articles app: the model takes over the libraries app's table (renamed),
and its content type follows, so the editors' permissions and the admin history stay attached."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_move(apps, schema_editor, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="listentry").exists():
        ContentType.objects.filter(app_label=old, model="listentry").update(app_label=new)


def content_type_to_articles(apps, schema_editor):
    content_type_move(apps, schema_editor, old="libraries", new="articles")


def content_type_to_libraries(apps, schema_editor):
    content_type_move(apps, schema_editor, old="articles", new="libraries")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_imported_hash"),
        ("libraries", "0010_list_entries_leave_snapshots_github_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ListEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("rank", models.PositiveSmallIntegerField()),
                        ("description", models.TextField(blank=True, help_text="Markdown. Raw HTML is removed.")),
                        ("contributors", models.PositiveIntegerField(blank=True, null=True)),
                        ("commits", models.PositiveIntegerField(blank=True, null=True)),
                        ("stars", models.PositiveIntegerField(blank=True, null=True)),
                        (
                            "library",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="entries",
                                to="libraries.library",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="articles.post"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "libraries_listentry",
                        "verbose_name_plural": "list entries",
                        "ordering": ["post", "rank"],
                        "constraints": [
                            models.UniqueConstraint(fields=("post", "rank"), name="unique_rank_in_post"),
                            models.UniqueConstraint(fields=("post", "library"), name="unique_library_in_post"),
                        ],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_type_to_articles, content_type_to_libraries),
        migrations.AlterModelTable(name="listentry", table=None),
    ]
