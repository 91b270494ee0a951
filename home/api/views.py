from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.openapi import problem_responses
from config.parsers import JSONParser
from config.views import PublicApi
from home.api import serializers as s
from home.models import ContactPage
from home.selectors import contact_form_bind, contact_form_describe, contact_page_get
from home.services import contact_rate_message, contact_rate_record, contact_retry_after


def _page(page_id: int) -> ContactPage:
    page = contact_page_get(page_id=page_id)
    if page is None:
        raise NotFound("No published contact page with this id.")
    return page


class ContactFormApi(PublicApi):
    parser_classes = [JSONParser]

    @extend_schema(
        responses={200: s.ContactFormOutputSerializer},
        summary="The fields of a contact form",
        description=(
            'A published "Contact us" page\'s form, as editors built it in the '
            "admin: render one input per field and POST the values by `name`."
        ),
        tags=["contact"],
    )
    def get(self, request: Request, page_id: int) -> Response:
        body = contact_form_describe(page=_page(page_id))
        return Response(s.ContactFormOutputSerializer(body).data)

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={201: s.ContactSubmitOutputSerializer, **problem_responses(429)},
        examples=[
            OpenApiExample(
                "Message",
                value={
                    "name": "Ada",
                    "email": "ada@example.com",
                    "message": "Do you ship to Norway?",
                },
                request_only=True,
            )
        ],
        summary="Send a message through a contact form",
        description=(
            "A JSON object of field values by `name` (a list of values for "
            "checkboxes and multiselect fields). The message is stored and emailed "
            "to the page's staff recipients. Accepted messages are limited per "
            "client address (`CONTACT_RATE`): over the limit answers 429 with "
            "Retry-After."
        ),
        tags=["contact"],
    )
    def post(self, request: Request, page_id: int) -> Response:
        page = _page(page_id)
        retry_after = contact_retry_after(request._request)
        if retry_after is not None:
            raise Throttled(wait=retry_after, detail=contact_rate_message(retry_after))
        form, errors = contact_form_bind(page=page, data=request.data)
        if form is not None and not form.is_valid():
            errors = {
                **{name: list(messages) for name, messages in form.errors.items()},
                **errors,
            }
        if errors:
            raise ValidationError(_error_keys(errors))
        page.process_form_submission(form)
        contact_rate_record(request._request)
        return Response(
            s.ContactSubmitOutputSerializer({"message": page.thank_you_text}).data,
            status=status.HTTP_201_CREATED,
        )


def _error_keys(errors: dict[str, Any]) -> dict[str, Any]:
    """Django's ``__all__`` key is DRF's ``non_field_errors``."""
    return {
        ("non_field_errors" if name == "__all__" else name): messages
        for name, messages in errors.items()
    }
