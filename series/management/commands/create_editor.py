"""python manage.py create_editor [USERNAME] [--email E]"""

import secrets

from axes.utils import reset as reset_login_failures
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a staff user in the Editors group with a random password, printed once; "
        "for an existing user, set a new random password."
    )

    def add_arguments(self, parser):
        # Optional so that `make editor` works as it is; the README names the user explicitly.
        parser.add_argument("username", nargs="?", default="editor")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options):
        editors = Group.objects.filter(name="Editors").first()
        if editors is None:
            raise CommandError("The Editors group is missing: run `manage.py migrate` first.")
        # Never a fixed password: a fresh random one each run, shown only here.
        password = secrets.token_urlsafe(18)
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_active = True
            if email:
                user.email = email
            user.set_password(password)
            user.save()
            user.groups.add(editors)
        if not created:
            # A reset usually follows a lock-out: clear the user's failed logins with it.
            reset_login_failures(username=username)
        action = "Created editor" if created else "Reset the password of editor"
        self.stdout.write(f"{action} {username!r}.")
        self.stdout.write(f"Password (shown once, store it now): {password}")
