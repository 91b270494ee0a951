import base64
import json
from datetime import timedelta

import jwt
import pytest
import time_machine
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from commerce.accounts.services.tokens import token_pair_issue

pytestmark = pytest.mark.django_db


def _bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_access_token_verifies_with_published_jwks_using_plain_pyjwt(customer):
    # given
    token = token_pair_issue(user=customer)["access_token"]
    jwks = APIClient().get("/o/.well-known/jwks.json").json()

    # when: verified the way another service would, with only PyJWT and the JWKS
    key_set = jwt.PyJWKSet.from_dict(jwks)
    kid = jwt.get_unverified_header(token)["kid"]
    signing_key = next(key for key in key_set.keys if key.key_id == kid)
    claims = jwt.decode(
        token,
        signing_key.key,
        algorithms=["RS256"],
        issuer="http://testserver",
        options={"require": ["exp", "iat", "iss", "sub", "jti"]},
    )

    # then
    assert claims["sub"] == str(customer.pk)
    assert claims["role"] == "customer"
    assert claims["iss"] == "http://testserver"
    assert claims["exp"] - claims["iat"] == 300
    assert len(claims["jti"]) == 32


def test_each_token_has_a_unique_jti(customer):
    first = token_pair_issue(user=customer)["access_token"]
    second = token_pair_issue(user=customer)["access_token"]

    assert (
        jwt.decode(first, options={"verify_signature": False})["jti"]
        != jwt.decode(second, options={"verify_signature": False})["jti"]
    )


def test_role_claim_follows_the_users_role(manager, administrator):
    for user, role in ((manager, "manager"), (administrator, "administrator")):
        token = token_pair_issue(user=user)["access_token"]
        assert jwt.decode(token, options={"verify_signature": False})["role"] == role


def test_tampered_token_is_401(customer, administrator):
    # given: the payload is swapped for an administrator's, the signature kept
    token = token_pair_issue(user=customer)["access_token"]
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(sub=str(administrator.pk), role="administrator")
    tampered = ".".join([header, _b64(claims), signature])

    # when
    response = _bearer(tampered).get("/api/users/profile")

    # then
    assert response.status_code == 401


def test_unsigned_and_foreign_key_tokens_are_401(customer):
    claims = jwt.decode(
        token_pair_issue(user=customer)["access_token"],
        options={"verify_signature": False},
    )
    unsigned = ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(claims), ""])
    hs256 = jwt.encode(
        claims, "guessed-secret-guessed-secret-guessed", algorithm="HS256"
    )

    assert _bearer(unsigned).get("/api/users/profile").status_code == 401
    assert _bearer(hs256).get("/api/users/profile").status_code == 401


def test_expired_token_is_401(customer):
    # given
    token = token_pair_issue(user=customer)["access_token"]
    assert _bearer(token).get("/api/users/profile").status_code == 200

    # when
    with time_machine.travel(timezone.now() + timedelta(seconds=301), tick=False):
        response = _bearer(token).get("/api/users/profile")

    # then
    assert response.status_code == 401


def test_revoked_token_is_401(customer):
    # given
    token = token_pair_issue(user=customer)["access_token"]

    # when
    AccessToken.objects.get(user=customer).revoke()

    # then
    assert _bearer(token).get("/api/users/profile").status_code == 401


def test_tokens_are_stored_as_checksums_only(customer):
    token_pair_issue(user=customer)

    stored = AccessToken.objects.get(user=customer)

    assert stored.token == ""
    assert len(stored.token_checksum) == 64


def test_deactivated_user_token_is_401(customer):
    token = token_pair_issue(user=customer)["access_token"]

    customer.is_active = False
    customer.save()

    assert _bearer(token).get("/api/users/profile").status_code == 401


def test_oidc_discovery_names_the_jwks(api_client):
    response = api_client.get("/o/.well-known/openid-configuration")

    assert response.status_code == 200
    assert response.json()["jwks_uri"].endswith("/o/.well-known/jwks.json")


def test_token_from_query_string_is_refused(customer):
    token = token_pair_issue(user=customer)["access_token"]

    response = APIClient().get(f"/api/users/profile?access_token={token}")

    assert response.status_code == 401
