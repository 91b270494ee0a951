"""StreamField blocks: a customization's options, and a page's attached customizations."""

from decimal import Decimal

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from customization.enums import AttachmentRequirement, UploadImageFormat


def _price_delta() -> blocks.DecimalBlock:
    return blocks.DecimalBlock(
        default=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        help_text="Added to the item's price when chosen (may be negative).",
    )


class ButtonOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=100)
    value = blocks.CharBlock(max_length=100)
    price_delta = _price_delta()

    class Meta:
        icon = "radio-full"


class ColorOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=100)
    value = blocks.RegexBlock(
        regex=r"^#[0-9A-Fa-f]{6}$",
        error_messages={"invalid": "Use a colour like #ff8800."},
        help_text="Hex colour, e.g. #ff8800",
    )
    price_delta = _price_delta()

    class Meta:
        icon = "pick"


class ImageOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=100)
    image = ImageChooserBlock()
    price_delta = _price_delta()

    class Meta:
        icon = "image"


class TextOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=100, default="Your text")
    max_length = blocks.IntegerBlock(min_value=1, max_value=2000, default=200)
    placeholder = blocks.CharBlock(required=False, max_length=200)
    price_delta = _price_delta()

    class Meta:
        icon = "edit"


class UploadOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=100, default="Your photo")
    allowed_formats = blocks.MultipleChoiceBlock(
        choices=UploadImageFormat.choices,
        default=[UploadImageFormat.JPEG, UploadImageFormat.PNG],
    )
    max_size_kb = blocks.IntegerBlock(min_value=1, max_value=20_480, default=5_120)
    max_width = blocks.IntegerBlock(min_value=1, max_value=20_000, default=6_000)
    max_height = blocks.IntegerBlock(min_value=1, max_value=20_000, default=6_000)
    price_delta = _price_delta()

    class Meta:
        icon = "upload"


class CustomizationOptionsBlock(blocks.StreamBlock):
    button = ButtonOptionBlock()
    color = ColorOptionBlock()
    image = ImageOptionBlock()
    text = TextOptionBlock()
    upload = UploadOptionBlock()


class AttachedCustomizationBlock(blocks.StructBlock):
    """A customization attached to a product or package, in the page's order."""

    customization = SnippetChooserBlock("customization.Customization")
    requirement = blocks.ChoiceBlock(
        choices=AttachmentRequirement.choices, default=AttachmentRequirement.DEFAULT
    )
    label = blocks.CharBlock(
        required=False,
        max_length=100,
        help_text="Overrides the customization's name here.",
    )

    class Meta:
        icon = "cog"


class AttachedCustomizationsBlock(blocks.StreamBlock):
    customization = AttachedCustomizationBlock()
