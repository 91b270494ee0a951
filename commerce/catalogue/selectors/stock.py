"""Reads of stock and availability."""

from commerce.catalogue.models import PackagePage

# Products without a threshold of their own are low at this many units or fewer.
LOW_STOCK_THRESHOLD = 5


def package_available_quantity(*, package: PackagePage) -> int:
    """How many of the package can be sold now: the minimum over its components.

    Uses the prefetched components and their stock (``package_queryset``).
    """
    return package.available_quantity()
