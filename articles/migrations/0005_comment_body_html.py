"""Comment.body_html: each comment's body rendered once, when it is stored; existing comments are rendered here."""

from django.db import migrations, models

from articles.markdown import render_comment


def render_existing_comments(apps, schema_editor):
    Comment = apps.get_model("articles", "Comment")
    comments = list(Comment.objects.filter(body_html="").only("pk", "body"))
    for comment in comments:
        comment.body_html = render_comment(comment.body)
    Comment.objects.bulk_update(comments, ["body_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_moderators_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The body rendered and sanitized when it was sent, so pages never run Markdown on it.",
            ),
        ),
        migrations.RunPython(render_existing_comments, migrations.RunPython.noop),
    ]
