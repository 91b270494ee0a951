from typing import Any

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from home.blocks import HomeBodyBlock


class HomePage(Page):
    """The site's root page; the shop's catalogue pages live beneath it.

    Editors compose ``body`` from sections (``home.blocks``); API v2 serves each
    section resolved: carousels with their products' cards, tiles with categories.
    """

    intro = RichTextField(blank=True)
    body = StreamField(
        HomeBodyBlock(),
        blank=True,
        help_text="Hero banners, product carousels, category tiles and text.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [APIField("intro"), APIField("body")]
    max_count = 1

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The sections as the API resolves them, with site-relative URLs."""
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.body.stream_block.get_api_representation(
            self.body, {"request": None}
        )
        return context


class ContactFormField(AbstractFormField):
    """One field of a contact page's form, as the editor defines it."""

    page = ParentalKey(
        "home.ContactPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactPage(AbstractEmailForm):
    """A "Contact us" form built in the admin (Wagtail's form builder).

    Submissions are stored (the page's "Form submissions" in the admin) and each
    staff address of ``to_address`` gets an email through the outbox, so a mail
    outage never fails the visitor's request. Accepted submissions are limited per
    client address (``CONTACT_RATE``). Headless frontends use
    ``/api/contact/{page_id}``.
    """

    intro = RichTextField(blank=True)
    thank_you_text: "models.TextField[str, str]" = models.TextField(
        blank=True,
        default="Thank you, we will get back to you soon.",
        help_text="Shown (and answered by the API) once a message is sent.",
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("to_address"), FieldPanel("subject")]),
            ],
            heading="Email to staff",
        ),
    ]
    api_fields = [APIField("intro"), APIField("thank_you_text")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    def send_mail(self, form: Any) -> None:
        """Queue one email per staff address through the outbox (never inline)."""
        from home.services import contact_emails_queue

        contact_emails_queue(page=self, form=form)

    def process_form_submission(self, form: Any) -> Any:
        with transaction.atomic():
            return super().process_form_submission(form)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from home.services import (
            contact_rate_message,
            contact_rate_record,
            contact_retry_after,
        )

        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        retry_after = contact_retry_after(request)
        if retry_after is not None:
            form.is_valid()
            form.add_error(None, contact_rate_message(retry_after))
            context = self.get_context(request)
            context["form"] = form
            response = TemplateResponse(
                request, self.get_template(request), context, status=429
            )
            response["Retry-After"] = str(retry_after)
            return response
        if form.is_valid():
            submission = self.process_form_submission(form)
            contact_rate_record(request)
            return self.render_landing_page(request, submission, *args, **kwargs)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)
