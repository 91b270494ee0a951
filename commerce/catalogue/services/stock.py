"""Writes to stock: only under row locks, outside revisioned fields.

Stock changes record StockChanged (commerce/events.py).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, QuerySet
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.catalogue.models import ProductPage, ProductStock
from commerce.catalogue.services.cache import catalogue_cache_invalidate
from commerce.events import StockChanged, record
from commerce.exceptions import InsufficientStockError


def product_stock_qs_select_for_update(
    product_ids: Iterable[int],
) -> QuerySet[ProductStock]:
    """Lock the stock rows of ``product_ids`` in primary-key order (no deadlocks)."""
    return (
        ProductStock.objects.select_for_update()
        .filter(product_id__in=sorted(set(product_ids)))
        .order_by("pk")
    )


def stock_take(*, units: dict[int, int]) -> None:
    """Take ``units`` (product id -> units) off hand and count them as sold.

    One statement: its subquery locks the stock rows in primary-key order (orders
    for overlapping products never deadlock), and only rows holding enough units
    change. Any product short, or without stock, raises InsufficientStockError
    naming each one (read then, under the same locks); the caller's transaction
    undoes the rows that did change. The caller invalidates the catalogue cache.
    """
    if not units:
        return
    product_ids = sorted(units)
    taken = _stock_rows_take(product_ids=product_ids, units=units)
    short = [product_id for product_id in product_ids if product_id not in taken]
    if short:
        raise _shortage_error(
            units={product_id: units[product_id] for product_id in short}
        )


def _stock_rows_take(*, product_ids: list[int], units: dict[int, int]) -> set[int]:
    """Decrement the rows holding enough units; the product ids of those changed.

    Raw SQL for RETURNING, which Django's ``update()`` lacks. The UPDATE changes
    only rows its subquery has locked, and the subquery locks them in key order
    whatever plan the database picks (SQLite locks the whole file instead).
    """
    quote = connection.ops.quote_name
    table = quote(ProductStock._meta.db_table)
    key = quote(ProductStock._meta.pk.column)
    quantity = quote("quantity")
    sold = quote("units_sold")
    case = f"CASE {key} {' '.join(['WHEN %s THEN %s'] * len(product_ids))} END"
    case_params = [value for pk in product_ids for value in (pk, units[pk])]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    listed = ", ".join(["%s"] * len(product_ids))
    # Only quoted names and placeholders are formatted in; the values are parameters.
    sql = (
        f"UPDATE {table} SET {quantity} = {quantity} - {case}, "  # noqa: S608
        f"{sold} = {sold} + {case} "
        f"WHERE {key} IN (SELECT {key} FROM {table} WHERE {key} IN ({listed}) "
        f"ORDER BY {key}{lock}) AND {quantity} >= {case} RETURNING {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*case_params, *case_params, *product_ids, *case_params])
        return {row[0] for row in cursor.fetchall()}


def _shortage_error(*, units: dict[int, int]) -> InsufficientStockError:
    """The 409 for the products short: each one's name, units asked and left."""
    found = {
        pk: (title, quantity or 0)
        for pk, title, quantity in ProductPage.objects.filter(pk__in=units).values_list(
            "pk", "title", "stock__quantity"
        )
    }
    short = [
        {
            "product": product_id,
            "requested": requested,
            "available": found.get(product_id, ("", 0))[1],
            "name": found.get(product_id, ("", 0))[0],
        }
        for product_id, requested in sorted(units.items())
    ]
    listed = ", ".join(
        f"{entry['name']} ({entry['available']} left)" for entry in short
    )
    return InsufficientStockError(
        f"Not enough stock: {listed}.", extra={"items": short}
    )


def _product_lock(product_id: int) -> None:
    """Lock the product row, so the product cannot be deleted under a stock write."""
    found = list(
        ProductPage.objects.select_for_update(of=("self",))
        .filter(pk=product_id)
        .values_list("pk", flat=True)
    )
    if not found:
        raise ValidationError(
            {"stock_quantity": ["The product was deleted; its stock cannot be set."]}
        )


@transaction.atomic
def stock_set(
    *,
    product_id: int,
    quantity: int,
    user: User | None = None,
    expected_quantity: int | None = None,
) -> ProductStock:
    """Set the units on hand; a change is logged on the product's history.

    With ``expected_quantity`` (the figure the editor saw), the write is refused when
    orders or another editor changed the stock since, so no change is lost.
    """
    if quantity < 0:
        raise ValidationError({"stock_quantity": ["Stock cannot be negative."]})
    _product_lock(product_id)
    ProductStock.objects.get_or_create(product_id=product_id)
    stock = product_stock_qs_select_for_update([product_id]).get()
    previous = stock.quantity
    if expected_quantity is not None and previous != expected_quantity:
        raise ValidationError(
            {
                "stock_quantity": [
                    f"The stock changed from {expected_quantity} to {previous} while "
                    "you were editing (orders or another editor); check the figure "
                    "and save again."
                ]
            }
        )
    stock.quantity = quantity
    stock.save(update_fields=["quantity", "updated_at"])
    catalogue_cache_invalidate(product_ids=[product_id], stock_only=True)
    if previous != quantity:
        log(
            instance=stock.product,
            action="commerce.stock.set",
            user=user,
            data={"from_quantity": previous, "to_quantity": quantity},
        )
        _stock_changed_record(stock, previous=previous)
    return stock


def _stock_changed_record(stock: ProductStock, *, previous: int) -> None:
    record(
        StockChanged(
            product_id=stock.product_id,
            sku=stock.product.sku,
            quantity=stock.quantity,
            previous_quantity=previous,
        )
    )


@transaction.atomic
def stock_threshold_set(
    *, product_id: int, threshold: int | None, user: User | None = None
) -> ProductStock:
    """Set (or, with None, clear) the product's own low-stock threshold; logged."""
    if threshold is not None and threshold < 0:
        raise ValidationError(
            {"low_stock_threshold": ["The threshold cannot be negative."]}
        )
    _product_lock(product_id)
    ProductStock.objects.get_or_create(product_id=product_id)
    stock = product_stock_qs_select_for_update([product_id]).get()
    previous = stock.low_stock_threshold
    if previous != threshold:
        stock.low_stock_threshold = threshold
        stock.save(update_fields=["low_stock_threshold", "updated_at"])
        log(
            instance=stock.product,
            action="commerce.stock.threshold_set",
            user=user,
            data={"from_threshold": previous, "to_threshold": threshold},
        )
    return stock


@transaction.atomic
def stock_adjust(*, product_id: int, delta: int) -> ProductStock:
    """Add (or, with a negative delta, remove) units; never below zero."""
    ProductStock.objects.get_or_create(product_id=product_id)
    stock = product_stock_qs_select_for_update([product_id]).get()
    if stock.quantity + delta < 0:
        raise InsufficientStockError(
            f"Only {stock.quantity} in stock.", extra={"available": stock.quantity}
        )
    previous = stock.quantity
    ProductStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + delta)
    catalogue_cache_invalidate(product_ids=[product_id], stock_only=True)
    stock.refresh_from_db()
    if delta:
        _stock_changed_record(stock, previous=previous)
    return stock


@transaction.atomic
def stock_units_return(*, units: dict[int, int]) -> None:
    """Put returned units back on hand (product id -> units) and take them off sold.

    Rows are locked in primary-key order; each change records StockChanged. Products
    deleted since (no stock row) are skipped.
    """
    for stock in product_stock_qs_select_for_update(units):
        returned = units[stock.product_id]
        previous = stock.quantity
        ProductStock.objects.filter(pk=stock.pk).update(
            quantity=F("quantity") + returned,
            units_sold=F("units_sold") - min(returned, stock.units_sold),
        )
        stock.quantity = previous + returned
        _stock_changed_record(stock, previous=previous)
    catalogue_cache_invalidate(product_ids=units, stock_only=True)
