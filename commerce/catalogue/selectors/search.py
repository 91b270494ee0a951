"""Catalogue search: word-prefix and typo-tolerant matching of names, and suggestions.

A query matches an item when each of its words starts a word of the item's name
(``bouq`` finds "Bouquet of roses", and so does ``ros``), starts its SKU, or, on
PostgreSQL, is close to a word of the name (``boquet``: pg_trgm's strict word
similarity, at its ``pg_trgm.strict_word_similarity_threshold``, 0.5 by default).
Lists also keep the matches of Wagtail's full-text search (descriptions, stemmed
words). Matches are ranked: the exact name, names that start with the query, names
with a word that starts with it, names holding every word, then the rest; on
PostgreSQL ties go to the closest name (trigram word similarity) in the lists, and
to the first in alphabetical order in suggestions (names close to a typo come
last there, the closest first).

On PostgreSQL the name conditions use the GIN trigram index on ``UPPER(title)`` of
``wagtailcore_page`` (migration ``0020_catalogue_search_trigram``): Django's
``istartswith``/``icontains`` compare ``UPPER(title)`` and the typo operator is
written on the same expression. SQLite has no fuzzy matching; prefixes still work.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.lookups import TrigramStrictWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, Upper
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page

from commerce.catalogue.models import (
    IMAGE_RENDITIONS,
    PackagePage,
    PackagePageImage,
    ProductPage,
    ProductPageImage,
)
from commerce.catalogue.selectors.line_images import image_renditions_get

SUGGEST_LIMIT = 10
# The text search configuration of the names' words index (migration 0029): no
# stemming, so a query's word prefix meets the words as written.
WORDS_CONFIG = "simple"
SUGGEST_THUMBNAIL_SPEC = IMAGE_RENDITIONS["thumbnail"]
# Words of a query that are matched; more are ignored (a query is a few words).
MAX_WORDS = 8
# Shorter words are matched as prefixes only: a typo needs a few letters to be seen.
FUZZY_MIN_LENGTH = 3
# Relevance ranks, best first.
RANK_EXACT, RANK_START, RANK_WORD_START, RANK_ALL_WORDS, RANK_OTHER = range(5)


def search_words(text: str) -> list[str]:
    """The words of a query, in order, at most ``MAX_WORDS``."""
    return text.split()[:MAX_WORDS]


def _fuzzy_available() -> bool:
    return connection.vendor == "postgresql"


def _word_starts(field: str, word: str, *, ignore_case: bool = True) -> Q:
    """``word`` starts ``field`` or one of its words (after a space or a hyphen)."""
    i = "i" if ignore_case else ""
    return (
        Q(**{f"{field}__{i}startswith": word})
        | Q(**{f"{field}__{i}contains": f" {word}"})
        | Q(**{f"{field}__{i}contains": f"-{word}"})
    )


def _word_matches(word: str, *, with_sku: bool) -> Q:
    condition = _word_starts("title", word)
    if with_sku:
        condition |= Q(sku__istartswith=word)
    if _fuzzy_available() and len(word) >= FUZZY_MIN_LENGTH:
        condition |= Q(TrigramStrictWordSimilar(Upper("title"), word.upper()))
    return condition


def name_match(words: list[str], *, with_sku: bool = False) -> Q:
    """Every word starts a word of the name (or the SKU), or is close to one."""
    condition = Q()
    for word in words:
        condition &= _word_matches(word, with_sku=with_sku)
    return condition


def _relevance_annotations(
    words: list[str], *, similarity: bool = True
) -> dict[str, Any]:
    phrase = " ".join(words)
    ranks = [
        When(title__iexact=phrase, then=Value(RANK_EXACT)),
        When(title__istartswith=phrase, then=Value(RANK_START)),
        When(_word_starts("title", phrase), then=Value(RANK_WORD_START)),
    ]
    if len(words) > 1:
        every_word = Q()
        for word in words:
            every_word &= _word_starts("title", word)
        ranks.append(When(every_word, then=Value(RANK_ALL_WORDS)))
    annotations: dict[str, Any] = {
        "search_rank": Case(
            *ranks, default=Value(RANK_OTHER), output_field=IntegerField()
        )
    }
    if similarity and _fuzzy_available():
        annotations["search_similarity"] = TrigramWordSimilarity(phrase, "title")
    return annotations


def search_relevance_ordering() -> list[Any]:
    """The ordering of rows annotated by ``sellable_search_filter``: best match first."""
    ordering: list[Any] = ["search_rank"]
    if _fuzzy_available():
        ordering.append(F("search_similarity").desc())
    return ordering


def sellable_search_filter(
    queryset: QuerySet[Any], *, text: str, model: type[Page]
) -> QuerySet[Any]:
    """Products or packages of ``queryset`` that match ``text``, with their relevance.

    A match by name (word prefixes, typos), by SKU prefix, or by Wagtail's full-text
    search of name, description and SKU. The rows carry ``search_rank`` (and
    ``search_similarity`` on PostgreSQL); ``search_relevance_ordering`` orders by them.
    """
    words = search_words(text)
    if not words:
        return queryset
    full_text = model.objects.filter(pk__in=queryset.values("pk")).search(
        text, operator="and"
    )
    full_text_ids = [page.pk for page in full_text]
    matches = name_match(words, with_sku=True) | Q(pk__in=full_text_ids)
    found: QuerySet[Any] = queryset.filter(matches).annotate(
        **_relevance_annotations(words)
    )
    return found


@dataclass(frozen=True)
class CatalogueSuggestion:
    """A product or package proposed while a shopper types, with its thumbnail."""

    kind: str
    id: int
    name: str
    slug: str
    price: Decimal
    thumbnail: Any  # a rendition of SUGGEST_THUMBNAIL_SPEC, or None


def _first_image(image_model: type[ProductPageImage] | type[PackagePageImage]) -> Any:
    first = image_model.objects.filter(page_id=OuterRef("pk")).order_by(
        "sort_order", "pk"
    )
    return Subquery(first.values("image_id")[:1])


def _thumbnails_get(image_ids: set[int]) -> dict[int, Any]:
    """Thumbnails of ``image_ids`` by image id: their stored renditions in one query.

    ``Image.get_rendition`` would also write each one to the renditions cache; a
    stored rendition is used as it is here, and only images without one (first use,
    a moved focal point, SVGs) go through it, which makes the missing ones.
    """
    if not image_ids:
        return {}
    spec = Filter(spec=SUGGEST_THUMBNAIL_SPEC)
    stored = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=image_ids, filter_spec=spec.spec)
        .select_related("image")
    )
    found = {
        rendition.image_id: rendition
        for rendition in stored
        if rendition.focal_point_key == spec.get_cache_key(rendition.image)
    }
    missing = image_ids - found.keys()
    found.update(image_renditions_get(image_ids=missing, spec=spec.spec))
    return found


def _row_kind(row: dict[str, Any]) -> str:
    return ProductPage.kind if row["product_id"] is not None else PackagePage.kind


def _words_prefix_query(words: list[str]) -> SearchQuery | None:
    """A tsquery holding every letter run of ``words`` as a word prefix, or None.

    ``t-shi`` gives ``t:* & shi:*``: PostgreSQL's ``simple`` parser keeps the parts of
    a hyphenated word as words, so every name a word prefix matches (``_word_starts``)
    matches this query too; it only narrows the rows those conditions test.
    """
    terms = [term for word in words for term in re.findall(r"\w+", word)]
    if not terms:
        return None
    return SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
    )


def _suggestion_rows(
    words: list[str], *, limit: int, fuzzy: bool = True
) -> list[dict[str, Any]]:
    """The best ``limit`` live, active items whose name matches ``words``.

    ``fuzzy`` False: word prefixes only, found through the GIN index of the names'
    words (PostgreSQL), without reading the other names.
    """
    live: QuerySet[Page] = Page.objects.live()
    rows = live.filter(Q(productpage__is_active=True) | Q(packagepage__is_active=True))
    ranking: dict[str, Any]
    if fuzzy:
        rows = rows.filter(name_match(words))
        ranking, ordering = _typo_ranking(words)
    else:
        words_query = _words_prefix_query(words)
        if words_query is None:
            return []
        rows = rows.annotate(
            title_words=Func(
                Value(WORDS_CONFIG),
                F("title"),
                function="to_tsvector",
                output_field=SearchVectorField(),
            ),
            title_lower=Lower("title"),
        ).filter(Q(title_words=words_query), _prefixes_match(words))
        ranking, ordering = _prefix_ranking(words)
    found = (
        rows.annotate(
            product_id=F("productpage__page_ptr_id"),
            item_price=Coalesce(F("productpage__price"), F("packagepage__price")),
            image_id=Coalesce(
                _first_image(ProductPageImage), _first_image(PackagePageImage)
            ),
            **ranking,
        )
        .order_by(*ordering, "title", "pk")
        .values("pk", "title", "slug", "product_id", "item_price", "image_id")[:limit]
    )
    return list(found)


def _prefixes_match(words: list[str]) -> Q:
    """Every word starts a word of the name (``name_match`` without typos).

    On ``LOWER(title)`` (annotated ``title_lower``), which no index holds: PostgreSQL
    then reads the names the words index gives and tests these on them, rather than
    also reading the trigram index, which makes it test every condition again on
    each name, the words' ``to_tsvector`` included (about twice the time).
    """
    condition = Q()
    for word in words:
        condition &= _word_starts("title_lower", word.lower(), ignore_case=False)
    return condition


def _typo_ranking(words: list[str]) -> tuple[dict[str, Any], list[Any]]:
    """``_prefix_ranking``, and below its ranks the names close to a typo, closest first."""
    annotations = _relevance_annotations(words)
    if "search_similarity" not in annotations:
        return annotations, ["search_rank"]
    annotations["search_typo_closeness"] = Case(
        When(search_rank=RANK_OTHER, then=F("search_similarity")),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return annotations, ["search_rank", F("search_typo_closeness").desc()]


def _prefix_ranking(words: list[str]) -> tuple[dict[str, Any], list[Any]]:
    """The relevance of names matching by word prefixes, and its ordering.

    The ranks of ``_relevance_annotations`` without the trigram similarity: within a
    rank, names come in alphabetical order. A short prefix matches thousands of
    names in a large catalogue, and the similarity of each costs more than finding
    them (about half the query's time at 10,000 products).
    """
    return _relevance_annotations(words, similarity=False), ["search_rank"]


def catalogue_suggest(
    *, text: str, limit: int = SUGGEST_LIMIT
) -> list[CatalogueSuggestion]:
    """Live, active products and packages whose name matches ``text``, best first.

    Never drafts, whoever asks. One query for the matches and one for the thumbnails'
    renditions (when any has a picture), whatever the count. On PostgreSQL the word
    prefixes are looked up first through the index of the names' words; only when
    they give fewer than ``limit`` names, and the query has a word long enough for a
    typo, are the names compared by trigram similarity too (one more query): names
    matching by prefix always rank above names close to the query, so the first
    query's best ``limit`` are the best of all.
    """
    words = search_words(text)
    if not words:
        return []
    found: list[dict[str, Any]] | None = None
    if _fuzzy_available():
        found = _suggestion_rows(words, limit=limit, fuzzy=False)
        typos = any(len(word) >= FUZZY_MIN_LENGTH for word in words)
        if len(found) < limit and typos:
            found = None
    if found is None:
        found = _suggestion_rows(words, limit=limit)
    thumbnails = _thumbnails_get(
        {row["image_id"] for row in found if row["image_id"] is not None}
    )
    return [
        CatalogueSuggestion(
            kind=_row_kind(row),
            id=row["pk"],
            name=row["title"],
            slug=row["slug"],
            price=row["item_price"],
            thumbnail=thumbnails.get(row["image_id"]),
        )
        for row in found
    ]
