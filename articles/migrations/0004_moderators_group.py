"""The Moderators group: view and change comments, nothing else. Editors moderate too."""

from django.db import migrations

from config.migration_permissions import permissions_for

# "change" is what the admin's Approve / Reject / Mark as spam actions and the status field need.
# No view_post: the comment admin shows the post's title and links to its public page, so a moderator
# needs no access to the post admin; no add or delete: comments come from readers and are never lost.
COMMENT_PERMISSIONS = ["view_comment", "change_comment"]


def _comment_permissions(apps):
    return permissions_for(apps, "articles", COMMENT_PERMISSIONS)


def create_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_comment_permissions(apps))
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(permissions)
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*permissions)


def remove_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Moderators").delete()
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*_comment_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_comments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
