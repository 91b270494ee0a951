from dataclasses import dataclass

from django.conf import settings

# Our provider names in URLs, and the social-auth backend behind each one.
SOCIAL_PROVIDER_BACKENDS = {"google": "google-oauth2", "facebook": "facebook"}


@dataclass(frozen=True)
class LoginMethod:
    name: str
    flows: tuple[str, ...]


def social_provider_enabled(*, provider: str) -> bool:
    """A provider is on only when both of its keys are set."""
    if provider == "google":
        return bool(
            settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY
            and settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET
        )
    if provider == "facebook":
        return bool(
            settings.SOCIAL_AUTH_FACEBOOK_KEY and settings.SOCIAL_AUTH_FACEBOOK_SECRET
        )
    return False


def firebase_login_enabled() -> bool:
    return bool(settings.FIREBASE_PROJECT_ID)


def login_method_list() -> list[LoginMethod]:
    """The login methods this deployment accepts, password first."""
    methods = [LoginMethod(name="password", flows=("password",))]
    for provider in SOCIAL_PROVIDER_BACKENDS:
        if social_provider_enabled(provider=provider):
            methods.append(LoginMethod(name=provider, flows=("redirect", "token")))
    if firebase_login_enabled():
        methods.append(LoginMethod(name="firebase", flows=("token",)))
    return methods
