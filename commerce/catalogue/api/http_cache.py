"""The HTTP cache of public catalogue reads: one shared body per URL, ETag and 304."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from commerce.catalogue.api.permissions import is_catalogue_staff
from commerce.catalogue.services.cache import (
    CachedResponse,
    catalogue_response_get,
    catalogue_response_key,
    catalogue_response_store,
    catalogue_version_get,
)


def private_response(body: Any) -> Response:
    """A body only this caller may see (staff, drafts): never stored by a cache."""
    response = Response(body)
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    return response


# Changes a rendered body (a parsed JSON value) for the signed-in caller, in place;
# returns whether it changed anything.
Overlay = Callable[[Any], bool]


def _personal_response(
    request: Request, entry: CachedResponse, overlay: Overlay
) -> HttpResponseBase:
    """The shared body with the caller's overlay, validated by its ETag only.

    A body the overlay changed is private, its ETag made from its own bytes; one it
    left as it was is the shared entry (public, its ETag). Neither has
    Last-Modified: the caller's own changes (a favourite added) do not move the
    catalogue's version, so only the ETag can tell a client its copy is stale.
    """
    body = json.loads(entry.body)
    changed = overlay(body)
    if changed:
        rendered = JSONRenderer().render(body)
        etag = '"' + hashlib.sha256(rendered).hexdigest()[:32] + '"'
        entry = CachedResponse(body=rendered, etag=etag)
    response = _body_response(request, entry)
    if changed:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    conditional = get_conditional_response(request, etag=entry.etag, response=response)
    return response if conditional is None else conditional


def _body_response(request: Request, entry: CachedResponse) -> HttpResponse:
    response: HttpResponse
    if request.accepted_renderer.format == "json":
        response = HttpResponse(entry.body, content_type="application/json")
    else:
        response = Response(json.loads(entry.body))
    response["ETag"] = entry.etag
    return response


def catalogue_cached_read(
    request: Request,
    *,
    scopes: list[str],
    render: Callable[[], Any],
    staff_private: bool = True,
    overlay: Overlay | None = None,
) -> HttpResponseBase:
    """Serve a catalogue read from the shared cache, with ETag and Last-Modified.

    Staff see drafts, so their reads bypass the cache (``staff_private``; a read that
    shows everyone the same, drafts never, passes False). Everyone else (anonymous or
    customer) gets the same body for the same URL: the key holds the scope versions
    and the scheme, host, path and query string, never the user. The version is read
    before the data, so a change committed meanwhile lands under a newer version.

    ``overlay`` personalises the shared body for a signed-in caller after the cache
    (``is_favourite``); a personalised response is private, and every signed-in
    read is validated by its ETag only.
    """
    personal = overlay is not None and request.user.is_authenticated
    if staff_private and is_catalogue_staff(request):
        body = render()
        if overlay is not None and personal:
            overlay(body)
        return private_response(body)
    version = catalogue_version_get(scopes=scopes)
    key = catalogue_response_key(
        version=version,
        variant=f"{request.scheme}://{request.get_host()}{request.get_full_path()}",
    )
    entry = catalogue_response_get(key=key, version=version)
    if entry is None:
        body = JSONRenderer().render(render())
        entry = catalogue_response_store(key=key, version=version, body=body)
    if overlay is not None and personal:
        return _personal_response(request, entry, overlay)
    response = _body_response(request, entry)
    response["Last-Modified"] = http_date(version.changed_at)
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Authorization"])
    conditional = get_conditional_response(
        request,
        etag=entry.etag,
        last_modified=int(version.changed_at),
        response=response,
    )
    return response if conditional is None else conditional
