"""social-auth-app-django glue: run social logins without Django's authenticate()."""

from typing import Any

from social_django.strategy import DjangoStrategy


class ApiStrategy(DjangoStrategy):
    """Run the backend's pipeline directly instead of through ``authenticate()``.

    The social backends are not in ``AUTHENTICATION_BACKENDS`` (they are listed in
    ``SOCIAL_AUTH_AUTHENTICATION_BACKENDS``), so the admin login never tries them,
    and a provider failure does not count as a failed password attempt in django-axes.
    The result is never a session login: the API hands out our token pair instead.
    """

    def authenticate(self, backend: Any, **kwargs: Any) -> Any:
        kwargs["strategy"] = self
        kwargs["storage"] = self.storage
        kwargs["backend"] = backend
        kwargs.pop("request", None)
        return backend.authenticate(self.request, **kwargs)
