"""Reviews as the API shows them, and their input."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commerce.catalogue.models import line_kind
from commerce.enums import ReviewStatus
from commerce.reviews.models import RATING_MAX, RATING_MIN, Review
from config.fields import IdField

TEXT_MAX_LENGTH = 5000


def author_display(review: Review) -> str:
    """How a review names its author in public: the first name and an initial."""
    words = (review.customer.name or "").split()
    if not words:
        return "Customer"
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0]}."


# OUTPUT


class ReviewOutputSerializer(serializers.ModelSerializer[Review]):
    author = serializers.SerializerMethodField(
        help_text="The author's first name and initial."
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "rating",
            "title",
            "text",
            "author",
            "status",
            "created_at",
            "updated_at",
        ]

    def get_author(self, review: Review) -> str:
        return author_display(review)


class ReviewItemOutputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["product", "package"])
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReviewCustomerOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()


class StaffReviewOutputSerializer(ReviewOutputSerializer):
    item = serializers.SerializerMethodField()
    customer = ReviewCustomerOutputSerializer()
    order_line = serializers.IntegerField(source="order_line_id", allow_null=True)

    class Meta(ReviewOutputSerializer.Meta):
        fields = [*ReviewOutputSerializer.Meta.fields, "item", "customer", "order_line"]

    @extend_schema_field(ReviewItemOutputSerializer)
    def get_item(self, review: Review) -> dict[str, Any]:
        kind = line_kind(review)
        item = getattr(review, kind)
        return {"kind": kind, "id": item.pk, "name": item.title}


# INPUT


class ReviewSubmitInputSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(
        min_value=RATING_MIN,
        max_value=RATING_MAX,
        help_text=f"{RATING_MIN} (poor) to {RATING_MAX} (excellent).",
    )
    title = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReviewListFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)
    rating = serializers.IntegerField(
        min_value=RATING_MIN, max_value=RATING_MAX, required=False
    )
    product = IdField(required=False)
    package = IdField(required=False)
