"""For the data migrations that give a group its permissions."""

from django.contrib.auth.management import create_permissions


def permissions_for(apps, app_label: str, codenames):
    """The permissions, created first: Django normally creates them only after every migration has run."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
