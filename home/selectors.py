"""Reading contact pages for the API."""

from typing import Any

from django.forms import MultipleChoiceField
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.rich_text import expand_db_html

from home.models import ContactPage

CHOICE_TYPES = ("checkboxes", "dropdown", "multiselect", "radio")


def contact_page_get(*, page_id: int) -> ContactPage | None:
    """A live contact page without view restrictions, else None."""
    page: ContactPage | None = (
        ContactPage.objects.live().public().filter(pk=page_id).first()
    )
    return page


def contact_form_describe(*, page: ContactPage) -> dict[str, Any]:
    """The page's form as a headless frontend renders it."""
    fields = list(page.get_form_fields())
    builder = FormBuilder(fields)
    return {
        "id": page.pk,
        "title": page.title,
        "intro": expand_db_html(page.intro),
        "fields": [
            {
                "name": field.clean_name or field.get_field_clean_name(),
                "label": field.label,
                "field_type": field.field_type,
                "required": field.required,
                "choices": (
                    [value for value, _ in builder.get_formatted_field_choices(field)]
                    if field.field_type in CHOICE_TYPES
                    else []
                ),
                "help_text": field.help_text,
                "default": field.default_value,
            }
            for field in fields
        ],
    }


def contact_form_bind(
    *, page: ContactPage, data: Any
) -> tuple[Any, dict[str, list[str]]]:
    """The page's Wagtail form bound to a JSON body, and the body's shape errors.

    JSON values must be scalars (a list for fields with several values); anything
    else is refused before the form sees it, so it never becomes a string.
    """
    if not isinstance(data, dict):
        return None, {"non_field_errors": ["Send a JSON object of field values."]}
    form = page.get_form(data={}, page=page)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if isinstance(field, MultipleChoiceField):
            if not isinstance(value, list) or not all(
                isinstance(item, str) for item in value
            ):
                errors[name] = ["Enter a list of values."]
                continue
        elif not isinstance(value, str | int | float | bool):
            errors[name] = ["Enter a single value."]
            continue
        values[name] = value
    return page.get_form(data=values, page=page), errors
