"""The Moderators group: view and change comments, nothing else. Editors moderate too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# "change" is what the admin's Approve / Reject / Mark as spam actions and the status field need.
# No view_post: the comment admin shows the post's title and links to its public page, so a moderator
# needs no access to the post admin; no add or delete: comments come from readers and are never lost.
COMMENT_PERMISSIONS = ["view_comment", "change_comment"]


def _comment_permissions(apps):
    # Permissions are normally created after all migrations; these are needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="articles", codename__in=COMMENT_PERMISSIONS)


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
