"""Catalogue search: word prefixes and typos in the lists, and type-ahead suggestions."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commerce.catalogue.models import ProductPage
from commerce.catalogue.selectors.search import catalogue_suggest
from commerce.catalogue.services.sellables import product_update
from commerce.money import shop_currency
from tests.commerce.catalogue_factories import (
    category_make,
    image_create,
    package_make,
    product_make,
)

pytestmark = pytest.mark.django_db

SUGGEST = "/api/search/suggest"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="typo tolerance is pg_trgm's; SQLite matches prefixes only",
)


def _names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def shop():
    flowers = category_make("Flowers")
    gifts = category_make("Gifts")
    bouquet = product_make(flowers, title="Bouquet of roses", sku="BQ-001", images=1)
    red = product_make(flowers, title="Red rose")
    rose = product_make(flowers, title="Rose")
    garden = product_make(flowers, title="Rose garden")
    product_make(gifts, title="Prose book")
    mug = product_make(gifts, title="Mug", description="<p>ceramic</p>")
    shirt = product_make(gifts, title="Classic T-shirt")
    package = package_make(gifts, [(bouquet, 1), (mug, 1)], title="Bouquet and mug")
    return {
        "flowers": flowers,
        "gifts": gifts,
        "bouquet": bouquet,
        "red": red,
        "rose": rose,
        "garden": garden,
        "mug": mug,
        "shirt": shirt,
        "package": package,
    }


# LISTS


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("bouq", {"Bouquet of roses"}),
        ("BOUQ", {"Bouquet of roses"}),
        ("ros", {"Bouquet of roses", "Red rose", "Rose", "Rose garden"}),
        ("roses bouq", {"Bouquet of roses"}),
        ("shirt", {"Classic T-shirt"}),
        ("bq-0", {"Bouquet of roses"}),
        ("ceramic", {"Mug"}),
        ("100%", set()),
    ],
    ids=[
        "name_prefix_case",
        "upper_case_case",
        "word_prefix_inside_the_name_case",
        "words_in_any_order_case",
        "after_a_hyphen_case",
        "sku_prefix_case",
        "description_word_case",
        "wildcard_is_literal_case",
    ],
)
def test_product_search_matches_word_prefixes(shop, search, expected):
    response = APIClient().get("/api/products", {"search": search})

    assert set(_names(response)) == expected


def test_package_search_matches_word_prefixes(shop):
    response = APIClient().get("/api/packages", {"search": "bouq"})

    assert _names(response) == ["Bouquet and mug"]


@postgresql_only
@pytest.mark.parametrize("search", ["boquet", "bouqet roses"])
def test_a_typo_still_finds_the_product_on_postgresql(shop, search):
    response = APIClient().get("/api/products", {"search": search})

    assert _names(response) == ["Bouquet of roses"]


def test_without_a_sort_the_best_matches_come_first(shop):
    # when
    names = _names(APIClient().get("/api/products", {"search": "rose"}))

    # then: the exact name, a name starting with it, then names with such a word
    assert names[:2] == ["Rose", "Rose garden"]
    assert set(names[2:]) == {"Red rose", "Bouquet of roses"}


@postgresql_only
def test_among_word_matches_the_closest_name_comes_first(shop):
    names = _names(APIClient().get("/api/products", {"search": "rose"}))

    assert names == ["Rose", "Rose garden", "Red rose", "Bouquet of roses"]


def test_a_chosen_sort_wins_over_relevance(shop):
    response = APIClient().get("/api/products", {"search": "rose", "sort": "name"})

    assert _names(response) == ["Bouquet of roses", "Red rose", "Rose", "Rose garden"]


def test_a_cursor_page_of_a_search_sorts_by_newest(shop):
    # when
    first = APIClient().get(
        "/api/products", {"search": "ros", "pagination": "cursor", "page_size": 3}
    )
    second = APIClient().get(first.json()["next"])

    # then
    assert _names(first) + _names(second) == [
        "Rose garden",
        "Rose",
        "Red rose",
        "Bouquet of roses",
    ]
    assert second.json()["next"] is None


def test_staff_search_still_finds_drafts(persona_client, shop):
    product_make(shop["gifts"], title="Bouquet draft", publish=False)
    client, _ = persona_client("manager")

    names = _names(client.get("/api/products", {"search": "bouq"}))

    assert set(names) == {"Bouquet of roses", "Bouquet draft"}
    assert "Bouquet draft" not in _names(
        APIClient().get("/api/products", {"search": "bouq"})
    )


# SUGGEST


def _suggest(q, client=None, **params):
    return (client or APIClient()).get(SUGGEST, {"q": q, **params})


def test_suggest_answers_names_kinds_ids_prices_and_thumbnails(shop):
    # when
    response = _suggest("bouq")

    # then
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [(item["kind"], item["name"]) for item in results] == [
        ("package", "Bouquet and mug"),
        ("product", "Bouquet of roses"),
    ]
    product = results[1]
    bouquet = shop["bouquet"]
    thumbnail = product.pop("thumbnail")
    assert product == {
        "kind": "product",
        "id": bouquet.pk,
        "name": "Bouquet of roses",
        "slug": bouquet.slug,
        "price": "10.00",
        "currency": shop_currency(),
    }
    assert thumbnail["url"].startswith("http://testserver/")
    assert (thumbnail["width"], thumbnail["height"]) == (54, 40)
    assert results[0]["thumbnail"] is None
    assert results[0]["price"] == "20.00"


def test_a_stored_thumbnail_is_the_one_made_on_first_use(shop, uncached):
    # given: the first answer makes the rendition
    made = _suggest("bouq").json()["results"][1]["thumbnail"]

    # when: later answers read it from the database
    stored = _suggest("bouq").json()["results"][1]["thumbnail"]

    # then
    assert made is not None
    assert stored == made


def test_a_moved_focal_point_gives_a_new_thumbnail(shop, uncached):
    # given
    before = _suggest("bouq").json()["results"][1]["thumbnail"]
    image = shop["bouquet"].gallery_images.get().image
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width, image.focal_point_height = 4, 4
    image.save()

    # when
    after = _suggest("bouq").json()["results"][1]["thumbnail"]

    # then: cropped around the focal point, not the stored rendition of before
    assert after["url"] != before["url"]
    assert image.renditions.filter(filter_spec="fill-400x300").count() == 2


def test_suggest_ranks_the_exact_name_then_prefixes_then_words(shop):
    names = _names(_suggest("rose"))

    assert names[:2] == ["Rose", "Rose garden"]
    assert set(names[2:]) == {"Red rose", "Bouquet of roses"}


def test_suggest_orders_names_of_a_rank_alphabetically(shop):
    # the lists prefer the closest name among word matches; suggestions, read
    # as a menu, take them in alphabetical order
    assert _names(_suggest("rose")) == [
        "Rose",
        "Rose garden",
        "Bouquet of roses",
        "Red rose",
    ]


@postgresql_only
def test_suggest_orders_ten_names_by_word_prefixes_the_same_way(shop):
    for number in range(10):
        product_make(shop["gifts"], title=f"Rose vase {number}")

    # more than ten names by word prefixes alone: typos are not looked for
    many = _names(_suggest("rose"))

    assert many[:2] == ["Rose", "Rose garden"]
    assert many[2:] == [f"Rose vase {number}" for number in range(8)]


def test_suggest_gives_at_most_ten(shop):
    for number in range(12):
        product_make(shop["gifts"], title=f"Lamp {number}")

    assert len(_names(_suggest("lamp"))) == 10


@pytest.mark.parametrize("persona", ["anonymous", "manager"])
def test_suggest_never_shows_drafts_or_inactive_items(persona_client, shop, persona):
    # given
    product_make(shop["gifts"], title="Bouquet draft", publish=False)
    product_make(shop["gifts"], title="Bouquet retired", is_active=False)
    package_make(shop["gifts"], [(shop["mug"], 1)], title="Bouquet box", publish=False)
    changed = product_make(shop["gifts"], title="Bouquet live")
    product_update(
        product=ProductPage.objects.get(pk=changed.pk),
        data={"title": "Bouquet renamed"},
        publish=False,
        user=None,
    )
    client, _ = persona_client(persona)

    # when
    names = _names(_suggest("bouq", client))

    # then
    assert sorted(names) == ["Bouquet and mug", "Bouquet live", "Bouquet of roses"]


def test_suggest_finds_a_product_published_after_a_cached_answer(shop):
    assert _names(_suggest("vase")) == []

    product_make(shop["gifts"], title="Glass vase")

    assert _names(_suggest("vase")) == ["Glass vase"]


def test_suggest_answers_from_the_cache_with_an_etag(shop, django_assert_num_queries):
    first = _suggest("bouq")

    with django_assert_num_queries(0):
        again = APIClient().get(
            SUGGEST, {"q": "bouq"}, HTTP_IF_NONE_MATCH=first["ETag"]
        )

    assert again.status_code == 304


@postgresql_only
def test_suggest_tolerates_typos_on_postgresql(shop):
    assert _names(_suggest("boquet")) == ["Bouquet and mug", "Bouquet of roses"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "This field is required."),
        ({"q": "a"}, "Ensure this field has at least 2 characters."),
        ({"q": " a "}, "Ensure this field has at least 2 characters."),
        ({"q": ""}, "This field may not be blank."),
        ({"q": "x" * 101}, "Ensure this field has no more than 100 characters."),
    ],
    ids=["missing_case", "short_case", "short_trimmed_case", "blank_case", "long_case"],
)
def test_suggest_refuses_a_bad_query_naming_the_field(params, message):
    response = APIClient().get(SUGGEST, params)

    assert response.status_code == 400
    assert response.json()["errors"] == {"q": [message]}


def test_suggest_refuses_unknown_parameters():
    response = APIClient().get(SUGGEST, {"q": "rose", "limit": 3})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"limit"}


def test_suggest_queries_do_not_grow_with_the_results(
    uncached, django_assert_num_queries
):
    # given: ten products and a package with pictures, and one of each alone
    category = category_make()
    lamps = [product_make(category, title=f"Lamp {n}", images=1) for n in range(9)]
    package_make(
        category, [(lamps[0], 1)], title="Lamp set", images=[image_create().pk]
    )
    product_make(category, title="Vase", images=1)
    package_make(
        category, [(lamps[1], 1)], title="Vase set", images=[image_create().pk]
    )
    _suggest("lamp")  # renditions are made once, on first use
    _suggest("vase")

    # when / then: the matches, and the stored renditions of their pictures; on
    # PostgreSQL, fewer than ten names by word prefix look for typos too (one more)
    typos = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(2):
        many = _suggest("lamp")
    with django_assert_num_queries(2 + typos):
        few = _suggest("vase")
    with django_assert_num_queries(1 + typos):
        none = _suggest("nothing")

    assert (len(_names(many)), len(_names(few)), _names(none)) == (10, 2, [])


def _plan(sql):
    """The plan of ``sql`` where scans of tiny test tables are ruled out.

    So is the index of the live pages (migration 0030, for counting lists): on a few
    rows it is the cheapest of all, where thousands of names make it the costliest.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        savepoint = transaction.savepoint()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("DROP INDEX commerce_page_live")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.savepoint_rollback(savepoint)
        return plan


@postgresql_only
@pytest.mark.parametrize("q", ["bouq", "boquet", "roses bouq"])
def test_the_suggest_queries_can_use_the_words_and_trigram_indexes(shop, q):
    # given: the queries as sent (few names here: word prefixes, then typos)
    with CaptureQueriesContext(connection) as queries:
        catalogue_suggest(text=q)
    prefixes_sql, typos_sql = (query["sql"] for query in queries.captured_queries[:2])

    # when / then
    assert "commerce_page_title_words" in _plan(prefixes_sql)
    assert "%>>" in typos_sql
    assert "commerce_page_title_trgm" in _plan(typos_sql)


@postgresql_only
def test_word_prefixes_alone_answer_when_they_give_ten_names(shop):
    for number in range(12):
        product_make(shop["gifts"], title=f"Vintage t-shirt {number}")

    with CaptureQueriesContext(connection) as queries:
        found = catalogue_suggest(text="t-shi")

    assert len(found) == 10
    assert not any("%>>" in query["sql"] for query in queries.captured_queries)
