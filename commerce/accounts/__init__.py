"""Accounts: who may do what.

Owns the custom user model (email login), roles and their permissions (Django
groups), the token pair and its revocation (django-oauth-toolkit, RS256 JWTs and the
JWKS), email+password, Google, Facebook and Firebase logins, the login throttle,
third-party OAuth clients and their scopes, password reset and email change, and the
admin of users and OAuth applications.

Imports no other domain package (plugins aside): every other package may import it.
"""
