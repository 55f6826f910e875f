"""python manage.py create_editor USERNAME: a staff account in the Editors group, not a superuser."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or promote) an editor: staff, in the Editors group, without superuser rights."
    group_name = "Editors"
    role = "Editor"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Read the password from this environment variable instead of asking for it.",
        )

    def handle(self, *args, username, email, password_env, **options):
        User = get_user_model()
        try:
            group = Group.objects.get(name=self.group_name)
        except Group.DoesNotExist as error:
            raise CommandError(f"The {self.group_name} group is missing: run 'manage.py migrate' first.") from error
        user = User.objects.filter(username=username).first()
        if user is None:
            password = os.environ.get(password_env, "") if password_env else getpass.getpass("Password: ")
            user = User(username=username, email=email, is_staff=True)
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from error
            user.set_password(password)
            user.save()
            action = "created"
        else:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            action = "promoted"
        user.groups.add(group)
        self.stdout.write(f"{self.role} {username} {action}: sign in at /admin/.")
