"""Orders: what was bought.

Owns placement (row locks on stock, idempotency keys, snapshots of price, choices
and components), the lifecycle and its events, the order's payment record, order
reads for customers and staff, and the admin's order list, inspect page and
transitions. Packages above it join in through registered steps (payments capture and
refund inside a status change) and through the composition root.

May import cart, catalogue and accounts.
"""
