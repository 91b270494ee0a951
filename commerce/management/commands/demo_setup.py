"""Create one demo account per role, for a first run of the embedded default."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commerce.enums import UserRole
from commerce.models import User
from commerce.services.users import user_create, user_role_set

DEMO_ACCOUNTS = (
    (
        "admin@fantasize.local",
        "Gallant-Orchid-4821",
        UserRole.ADMINISTRATOR,
        "Demo Administrator",
    ),
    (
        "manager@fantasize.local",
        "Steady-Lantern-7350",
        UserRole.MANAGER,
        "Demo Manager",
    ),
    (
        "customer@fantasize.local",
        "Velvet-Compass-2968",
        UserRole.CUSTOMER,
        "Demo Customer",
    ),
)


class Command(BaseCommand):
    help = "Create the demo administrator, manager and customer accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with production settings (demo passwords are public).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = settings.SETTINGS_MODULE == "config.settings.production"
        if production and not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts in production; use --force."
            )
        rows = []
        for email, password, role, name in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user_create(email=email, password=password, name=name, role=role)
                state = "created"
            else:
                user_role_set(user=user, role=role)
                state = "exists"
            rows.append((role.label, email, password, state))
        self.stdout.write("Demo logins:")
        for role_label, email, password, state in rows:
            self.stdout.write(
                f"  {role_label:<14} {email:<28} {password:<26} ({state})"
            )
