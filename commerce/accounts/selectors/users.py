from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from commerce.accounts.models import User
from commerce.enums import UserRole

ROLE_PRECEDENCE = (UserRole.ADMINISTRATOR, UserRole.MANAGER, UserRole.CUSTOMER)


def user_role_get(*, user: User) -> UserRole:
    """The user's role: superusers are administrators; otherwise their highest group.

    Uses prefetched groups when the caller loaded them (``user_list``).
    """
    if user.is_superuser:
        return UserRole.ADMINISTRATOR
    names = {group.name for group in user.groups.all()}
    for role in ROLE_PRECEDENCE:
        if role.value in names:
            return role
    return UserRole.CUSTOMER


def user_list(*, role: str | None = None, search: str | None = None) -> QuerySet[User]:
    queryset = User.objects.prefetch_related("groups").order_by("pk")
    if role:
        if role == UserRole.ADMINISTRATOR:
            queryset = queryset.filter(Q(is_superuser=True) | Q(groups__name=role))
        elif role == UserRole.CUSTOMER:
            staff = [r.value for r in ROLE_PRECEDENCE if r != UserRole.CUSTOMER]
            queryset = queryset.filter(is_superuser=False).exclude(
                groups__name__in=staff
            )
        else:
            queryset = queryset.filter(groups__name=role, is_superuser=False).exclude(
                groups__name=UserRole.ADMINISTRATOR
            )
    if search:
        queryset = queryset.filter(
            Q(email__icontains=search) | Q(name__icontains=search)
        )
    return queryset.distinct()


def active_administrator_count() -> int:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=UserRole.ADMINISTRATOR))
        .distinct()
        .count()
    )


def user_get(*, user_id: int, with_groups: bool = False) -> User:
    """One user by id (404 when there is none); ``with_groups`` loads its role groups."""
    queryset = User.objects.prefetch_related("groups") if with_groups else User.objects
    return get_object_or_404(queryset, pk=user_id)
