import uuid
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from wagtail.log_actions import log

from commerce.enums import UserRole
from commerce.exceptions import LastAdministratorError, UserHasOrdersError
from commerce.models import User, UserManager
from commerce.selectors.users import active_administrator_count, user_role_get
from customization.services import image_reencode
from notify.services import outbox_event_record

DUPLICATE_EMAIL_MESSAGE = "A user with this email address already exists."
PROFILE_FIELDS = ("name", "phone", "avatar")


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
    if User.objects.filter(email__iexact=user.email).exists():
        raise ValidationError({"email": [DUPLICATE_EMAIL_MESSAGE]})
    if password is None:
        user.set_unusable_password()
    else:
        _password_validate(password=password, user=user)
        user.set_password(password)
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
    """Self-service sign-up: the account is always a customer."""
    return user_create(
        email=email, password=password, name=name, role=UserRole.CUSTOMER
    )


def customer_created_event_record(*, user: User) -> None:
    """The "customer created" event (welcome message, plugins, webhooks).

    Call in the transaction that created the customer, whatever the sign-up route.
    """
    outbox_event_record(
        topic="user.registered",
        payload={"user_id": user.pk, "email": user.email, "name": user.name},
    )


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
            raise ValidationError(
                {"current_password": ["The current password is not correct."]}
            )
        _password_validate(password=data["password"], user=user)
        user.set_password(data["password"])
        update_fields.append("password")
    user.full_clean(exclude=["password"])
    if update_fields:
        user.save(update_fields=[*update_fields, "updated_at"])
    return user


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any], actor: User | None = None) -> User:
    """Administrator edit of another account: profile fields, active flag and role.

    The edit and a role change are logged with ``actor`` as who made them.
    """
    update_fields = []
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
