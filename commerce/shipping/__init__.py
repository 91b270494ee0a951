"""Shipping: the methods staff offer, where and for which carts they apply, and at what price.

Owns ``ShippingMethod`` (a Wagtail snippet) and the availability and price rules
the cart's checkout and order placement read.
"""
