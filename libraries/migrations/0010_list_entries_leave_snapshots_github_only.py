"""A post's ranked list moves to the articles app (articles/0008 takes the table as it is), and snapshots hold
GitHub's figures only: what a post printed is read from its list entries, so the article copies go."""

from django.db import migrations, models


def article_snapshots_delete(apps, schema_editor):
    # Copies of the figures on the posts' list entries, which stay; the library pages read those now.
    apps.get_model("libraries", "StatsSnapshot").objects.filter(source="article").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("libraries", "0009_failing_library_backs_off"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ListEntry")]),
        migrations.RunPython(article_snapshots_delete, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="statssnapshot", name="one_article_snapshot_per_post"),
        migrations.RemoveConstraint(model_name="statssnapshot", name="one_github_snapshot_per_run"),
        migrations.RemoveField(model_name="statssnapshot", name="post"),
        migrations.RemoveField(model_name="statssnapshot", name="source"),
        migrations.AlterField(
            model_name="statssnapshot",
            name="run_id",
            field=models.CharField(
                blank=True, help_text="The refresh run that took them (one per library).", max_length=64
            ),
        ),
        migrations.AddConstraint(
            model_name="statssnapshot",
            constraint=models.UniqueConstraint(
                condition=models.Q(("run_id", ""), _negated=True),
                fields=("library", "run_id"),
                name="one_github_snapshot_per_run",
            ),
        ),
    ]
