import uuid
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from wagtail.log_actions import log

from commerce.accounts.models import User, UserManager
from commerce.accounts.selectors.users import active_administrator_count, user_role_get
from commerce.accounts.services.tokens import user_tokens_revoke
from commerce.enums import UserRole
from commerce.events import CustomerCreated, PasswordResetRequested, record
from commerce.exceptions import (
    EmailAddressInUseError,
    InvalidAccountTokenError,
    LastAdministratorError,
    UserHasOrdersError,
)
from customization.services import image_reencode
from notify.enums import EmailEvent
from notify.services import email_send

DUPLICATE_EMAIL_MESSAGE = "A user with this email address already exists."
WRONG_PASSWORD_MESSAGE = "The current password is not correct."  # noqa: S105
PROFILE_FIELDS = ("name", "phone", "avatar")
EMAIL_CHANGE_SALT = "commerce.email_change"


def _password_validate(*, password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    name: str = "",
    phone: str = "",
    role: UserRole = UserRole.CUSTOMER,
    actor: User | None = None,
) -> User:
    """Create an active user in ``role``; the password goes through Django's validators.

    A new customer is announced (welcome message, plugins, webhooks), whichever way
    they signed up.

    ``actor`` is the administrator creating the account; their change is logged.
    """
    user = User(email=UserManager.normalize_email(email), name=name, phone=phone)
    # Validate and hash before looking the address up, so that a taken address costs
    # the same time as a free one.
    if password is None:
        user.set_unusable_password()
    else:
        _password_validate(password=password, user=user)
        user.set_password(password)
    if User.objects.filter(email__iexact=user.email).exists():
        raise ValidationError({"email": [DUPLICATE_EMAIL_MESSAGE]})
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # Two registrations of one address raced past the check above.
        raise ValidationError({"email": [DUPLICATE_EMAIL_MESSAGE]}) from error
    user.groups.set([Group.objects.get(name=role.value)])
    if role == UserRole.CUSTOMER:
        customer_created_event_record(user=user)
    if actor is not None:
        log(instance=user, action="wagtail.create", user=actor, data={"role": role})
    return user


def user_register(*, email: str, password: str, name: str = "") -> User:
    """Self-service sign-up: the account is always a customer.

    A sign-up with an address that already has an account is refused (the answer
    carries tokens, so it cannot look like a success), and the owner of the address
    is mailed a password reset link instead.
    """
    try:
        return user_create(
            email=email, password=password, name=name, role=UserRole.CUSTOMER
        )
    except ValidationError as error:
        if DUPLICATE_EMAIL_MESSAGE in error.message_dict.get("email", []):
            _account_exists_notify(email=email)
        raise


@transaction.atomic
def _account_exists_notify(*, email: str) -> None:
    owner = User.objects.filter(
        email__iexact=UserManager.normalize_email(email), is_active=True
    ).first()
    if owner is not None:
        email_send(
            to=owner.email,
            event=EmailEvent.ACCOUNT_EXISTS,
            context={
                "user": {"name": owner.name, "email": owner.email},
                "link": _password_reset_link(user=owner),
            },
        )


def customer_created_event_record(*, user: User) -> None:
    """The "customer created" event (welcome message, plugins, webhooks).

    Call in the transaction that created the customer, whatever the sign-up route.
    """
    record(CustomerCreated(user_id=user.pk, email=user.email, name=user.name))


def avatar_reencode(*, file: IO[bytes]) -> ContentFile[bytes]:
    """An avatar as customer photos are stored: decoded once, without EXIF or GPS.

    It is shrunk to fit AVATAR_MAX_SIZE and named at random, as avatars are public
    media. Raises ValidationError ``{"avatar": [...]}``.
    """
    limit = settings.CUSTOMER_UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"avatar": [f"The file is larger than {limit // 1024} KB."]}
        )
    try:
        clean = image_reencode(
            data=data,
            max_pixels=settings.CUSTOMER_UPLOAD_MAX_PIXELS,
            fit=(settings.AVATAR_MAX_SIZE, settings.AVATAR_MAX_SIZE),
        )
    except ValidationError as error:
        raise ValidationError({"avatar": error.message_dict["file"]}) from error
    return ContentFile(clean.content, name=f"{uuid.uuid4().hex}.{clean.format.lower()}")


def user_profile_update(
    *, user: User, data: dict[str, Any], current_password: str | None = None
) -> User:
    """Update profile fields; a new ``password`` needs the right ``current_password``.

    A new avatar file is re-encoded first, outside the transaction.
    """
    avatar = data.get("avatar")
    if avatar:
        data = {**data, "avatar": avatar_reencode(file=avatar)}
    return _profile_save(user=user, data=data, current_password=current_password)


@transaction.atomic
def _profile_save(
    *, user: User, data: dict[str, Any], current_password: str | None
) -> User:
    update_fields = []
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
            update_fields.append(field)
    if "password" in data:
        if not current_password or not user.check_password(current_password):
            raise ValidationError({"current_password": [WRONG_PASSWORD_MESSAGE]})
        _password_validate(password=data["password"], user=user)
        user.set_password(data["password"])
        update_fields.append("password")
    user.full_clean(exclude=["password"])
    if update_fields:
        user.save(update_fields=[*update_fields, "updated_at"])
    if "password" in update_fields:
        user_tokens_revoke(user=user)
    return user


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any], actor: User | None = None) -> User:
    """Administrator edit of another account: profile fields, active flag and role.

    The edit and a role change are logged with ``actor`` as who made them.
    """
    update_fields = []
    deactivating = user.is_active and data.get("is_active") is False
    for field in ("name", "phone", "is_active"):
        if field in data:
            setattr(user, field, data[field])
            update_fields.append(field)
    role = data.get("role")
    losing_admin = user_role_get(user=user) == UserRole.ADMINISTRATOR and (
        (role is not None and role != UserRole.ADMINISTRATOR)
        or data.get("is_active") is False
    )
    if losing_admin and active_administrator_count() <= 1:
        raise LastAdministratorError()
    user.full_clean(exclude=["password"])
    if update_fields:
        user.save(update_fields=[*update_fields, "updated_at"])
        log(
            instance=user,
            action="wagtail.edit",
            user=actor,
            data={"fields": update_fields},
        )
    if deactivating:
        user_tokens_revoke(user=user)
    if role is not None:
        user_role_set(user=user, role=UserRole(role), actor=actor)
    return user


def user_role_set(*, user: User, role: UserRole, actor: User | None = None) -> None:
    """Make ``role`` the user's only role group; a demoted superuser stops being one.

    A change of role is logged as ``commerce.user.role_change`` by ``actor``.
    """
    previous = user_role_get(user=user)
    if role != UserRole.ADMINISTRATOR and user.is_superuser:
        user.is_superuser = False
        user.save(update_fields=["is_superuser", "updated_at"])
    role_names = [r.value for r in UserRole]
    other_groups = [g for g in user.groups.all() if g.name not in role_names]
    user.groups.set([*other_groups, Group.objects.get(name=role.value)])
    if previous != role:
        log(
            instance=user,
            action="commerce.user.role_change",
            user=actor,
            data={"from_role": previous.value, "to_role": role.value},
        )


# PASSWORD RESET


def _link(template: str, *, default_path: str, token: str) -> str:
    if not template:
        template = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + default_path
    return template.replace("{token}", quote(token, safe=""))


def password_reset_token_make(*, user: User) -> str:
    """A single-use token: it stops working once the password (or email) changes."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uid}.{default_token_generator.make_token(user)}"


def _password_reset_link(*, user: User) -> str:
    return _link(
        settings.PASSWORD_RESET_URL,
        default_path="/api/users/password/reset/confirm?token={token}",
        token=password_reset_token_make(user=user),
    )


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Queue a reset link for ``email``; the same work whether or not it has an account.

    The address is looked up later by the worker (``password_reset_mail_send``), so
    the answer and its timing say nothing about which addresses are registered.
    """
    record(PasswordResetRequested(email=UserManager.normalize_email(email)))


@transaction.atomic
def password_reset_mail_send(*, email: str) -> bool:
    """Mail a reset link to the active account of ``email``; False when there is none."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    email_send(
        to=user.email,
        event=EmailEvent.PASSWORD_RESET,
        context={
            "user": {"name": user.name, "email": user.email},
            "link": _password_reset_link(user=user),
            "expires_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )
    return True


def _password_reset_user(*, token: str) -> User:
    uid, _, secret = token.partition(".")
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError):
        raise InvalidAccountTokenError() from None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, secret):
        raise InvalidAccountTokenError()
    return user


@transaction.atomic
def password_reset_confirm(*, token: str, password: str) -> User:
    """Set a new password from a reset link; every token of the account is revoked.

    An unknown, used, expired or malformed token raises one error, whichever it was.
    """
    user = _password_reset_user(token=token)
    _password_validate(password=password, user=user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    user_tokens_revoke(user=user)
    return user


# EMAIL CHANGE


def _email_change_stamp(*, user: User) -> str:
    """Changes with the current email and password: a used link cannot be replayed."""
    return salted_hmac(
        EMAIL_CHANGE_SALT, f"{user.pk}:{user.email}:{user.password}"
    ).hexdigest()[:32]


@transaction.atomic
def email_change_request(*, user: User, new_email: str, current_password: str) -> None:
    """Mail a confirmation link to ``new_email``; nothing changes until it is opened.

    Whether the address is taken is checked only at confirmation, so the request
    reveals nothing about other accounts.
    """
    if not user.check_password(current_password):
        raise ValidationError({"current_password": [WRONG_PASSWORD_MESSAGE]})
    new_email = UserManager.normalize_email(new_email)
    if new_email.lower() == user.email.lower():
        raise ValidationError(
            {"new_email": ["This is already the address of your account."]}
        )
    token = signing.dumps(
        {"user": user.pk, "email": new_email, "stamp": _email_change_stamp(user=user)},
        salt=EMAIL_CHANGE_SALT,
    )
    email_send(
        to=new_email,
        event=EmailEvent.EMAIL_CHANGE_CONFIRM,
        context={
            "user": {"name": user.name, "email": user.email},
            "new_email": new_email,
            "link": _link(
                settings.EMAIL_CHANGE_CONFIRM_URL,
                default_path="/api/users/email/change/confirm?token={token}",
                token=token,
            ),
            "expires_minutes": settings.EMAIL_CHANGE_TIMEOUT // 60,
        },
    )


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Switch the account to the confirmed address and tell the old one.

    An unknown, used, expired or malformed token raises one error; an address that
    has meanwhile got an account raises ``EmailAddressInUseError``.
    """
    try:
        claims = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_TIMEOUT
        )
        user_id, new_email, stamp = claims["user"], claims["email"], claims["stamp"]
    except (signing.BadSignature, KeyError, TypeError):
        raise InvalidAccountTokenError() from None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(stamp, _email_change_stamp(user=user)):
        raise InvalidAccountTokenError()
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailAddressInUseError()
    old_email = user.email
    user.email = new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "updated_at"])
    except IntegrityError:
        raise EmailAddressInUseError() from None
    email_send(
        to=old_email,
        event=EmailEvent.EMAIL_CHANGED,
        context={
            "user": {"name": user.name, "email": old_email},
            "new_email": new_email,
        },
    )
    return user


@transaction.atomic
def user_delete(*, user: User, actor: User | None = None) -> None:
    """Delete an account that has no orders.

    Orders are kept for the books, so an account with orders is refused with
    UserHasOrdersError (deactivate it instead). The last active administrator is
    never deleted.
    """
    if user.orders.exists():
        raise UserHasOrdersError()
    if (
        user.is_active
        and user_role_get(user=user) == UserRole.ADMINISTRATOR
        and active_administrator_count() <= 1
    ):
        raise LastAdministratorError("The last active administrator cannot be deleted.")
    log(instance=user, action="wagtail.delete", user=actor, deleted=True)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError as error:
        # An order was placed between the check and the delete.
        raise UserHasOrdersError() from error
