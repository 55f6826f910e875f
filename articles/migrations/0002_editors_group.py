"""The Editors group: exactly what editorial work needs, nothing on users or groups."""

from django.db import migrations

from config.migration_permissions import permissions_for

EDITOR_PERMISSIONS = {
    "articles": [
        "add_post",
        "change_post",
        "view_post",
        "add_series",
        "change_series",
        "view_series",
        "add_tag",
        "change_tag",
        "view_tag",
    ],
    "libraries": [
        "add_library",
        "change_library",
        "view_library",
        "add_listentry",
        "change_listentry",
        "delete_listentry",
        "view_listentry",
        "view_statssnapshot",
    ],
}


def create_editors_group(apps, schema_editor):
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        editors.permissions.add(*permissions_for(apps, app_label, codenames))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("libraries", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
