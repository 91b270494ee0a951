"""Catalogue: what the shop sells.

Owns the shop's Wagtail pages (shop index, categories, products, packages and their
galleries), stock and availability, search, sorting and keyset cursors, the public
read cache and its invalidation, storefront pages and the preview link, and the
admin's product and package listings and stock panel.

May import accounts (and plugins).
"""
