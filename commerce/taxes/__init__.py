"""Taxes: rates per country and tax class, and the per-line calculation.

Owns ``TaxClass`` and ``TaxRate`` (Wagtail snippets) and ``tax_calculate``, which
plugins may replace through the chained ``tax_calculate`` hook.
"""
