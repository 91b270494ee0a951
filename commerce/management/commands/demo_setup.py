"""Create one demo account per role, for a first run of the embedded default."""

from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from wagtail.models import Site

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.accounts.services.addresses import address_create
from commerce.accounts.services.users import user_create
from commerce.enums import UserRole
from home.services import contact_page_demo_ensure

PRODUCTION_SETTINGS_MODULE = "config.settings.production"


class DemoAccount(NamedTuple):
    email: str
    password: str
    role: UserRole
    name: str


# The passwords are public (README); each passes AUTH_PASSWORD_VALIDATORS.
DEMO_ACCOUNTS = (
    DemoAccount(
        "admin@fantasize.local",
        "Gallant-Orchid-4821",
        UserRole.ADMINISTRATOR,
        "Demo Administrator",
    ),
    DemoAccount(
        "manager@fantasize.local",
        "Steady-Lantern-7350",
        UserRole.MANAGER,
        "Demo Manager",
    ),
    DemoAccount(
        "customer@fantasize.local",
        "Velvet-Compass-2968",
        UserRole.CUSTOMER,
        "Demo Customer",
    ),
)


LOCAL_HOSTNAMES = frozenset({"localhost", "127.0.0.1"})

# The demo customer's saved address: the checkout can ship to it by id.
DEMO_ADDRESS = {
    "name": "Demo Customer",
    "street_address_1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country": "DE",
    "phone": "+49 30 1234567",
}


def _demo_customer_address_ensure() -> None:
    customer = User.objects.filter(email="customer@fantasize.local").first()
    if customer is not None and not customer.addresses.exists():
        address_create(user=customer, data=DEMO_ADDRESS)


def _default_site_point_at(base_url: str) -> Site | None:
    """Give a local default Site the host and port the server runs on.

    Wagtail builds page URLs (``html_url`` in API v2, "view live" in the admin) from
    the Site; the one the migrations create says ``localhost:80``. A Site whose
    hostname is not a local one has been configured and is left alone.
    """
    parts = urlsplit(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.hostname not in LOCAL_HOSTNAMES or not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


def _demo_account_ensure(account: DemoAccount) -> str:
    """Create the account; an existing one is left exactly as it is.

    Never promoting an existing account matters: anyone could have registered a demo
    address first, and running this command must not make them a manager or admin.
    """
    with transaction.atomic():
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            try:
                user_create(
                    email=account.email,
                    password=account.password,
                    name=account.name,
                    role=account.role,
                )
            except ValidationError as error:
                # Another process created it between the lookup and the insert.
                user = User.objects.filter(email__iexact=account.email).first()
                if user is None:
                    raise CommandError(
                        f"Cannot create {account.email}: {error.messages}"
                    ) from error
            else:
                return "created"
    role = user_role_get(user=user)
    if role != account.role:
        return f"exists as {role.value}, left unchanged"
    return "exists"


class Command(BaseCommand):
    help = (
        "Ensure one demo account per role (administrator, manager, customer) and "
        "print their logins. Idempotent: existing accounts keep their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with production settings (the demo passwords are public).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = settings.SETTINGS_MODULE == PRODUCTION_SETTINGS_MODULE
        if production and not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with production settings: their "
                "passwords are public. Use --force if you really mean it."
            )
        states = [_demo_account_ensure(account) for account in DEMO_ACCOUNTS]
        _demo_customer_address_ensure()
        contact = contact_page_demo_ensure(to_address=DEMO_ACCOUNTS[1].email)
        site = _default_site_point_at(settings.WAGTAILADMIN_BASE_URL)
        if site is not None:
            self.stdout.write(f"Site: {site.root_url}")
            if contact is not None:
                self.stdout.write(f"Contact page: {contact.get_full_url()}")
        self.stdout.write("Demo logins:")
        self.stdout.write(f"  {'role':<14} {'email':<28} {'password':<26} state")
        for account, state in zip(DEMO_ACCOUNTS, states, strict=True):
            self.stdout.write(
                f"  {account.role.label:<14} {account.email:<28} "
                f"{account.password:<26} ({state})"
            )
