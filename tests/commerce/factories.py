import factory
from django.contrib.auth.models import Group

from commerce.accounts.models import User
from commerce.enums import UserRole

DEFAULT_PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user with DEFAULT_PASSWORD in a role: ``UserFactory(role=UserRole.MANAGER)``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def role(
        self, create: bool, extracted: UserRole | str | None, **kwargs: object
    ) -> None:
        if create:
            role = UserRole(extracted or UserRole.CUSTOMER)
            self.groups.set([Group.objects.get(name=role.value)])
