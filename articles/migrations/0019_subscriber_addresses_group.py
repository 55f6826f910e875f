"""Readers' addresses are for those given them on purpose: the Editors group no longer sees subscriptions; a group
of its own, "Subscriber addresses", may see and remove them (an administrator adds whoever needs to)."""

from django.db import migrations

from config.migration_permissions import permissions_for

GROUP = "Subscriber addresses"
CODENAMES = ["view_subscription", "delete_subscription"]


def separate(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(permissions_for(apps, "articles", CODENAMES))
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*permissions)
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def rejoin(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*permissions_for(apps, "articles", CODENAMES))
    Group.objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_notify_pending_comments_hourly"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(separate, rejoin)]
