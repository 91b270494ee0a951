"""Vouchers: discount codes a shopper applies to their cart.

Owns the vouchers (percentage, fixed amount or free shipping; dates, minimum
order value, usage limits, product and category restrictions), how much a cart's
lines and shipping are discounted, and the usages counted at order placement.

May import catalogue and accounts.
"""
