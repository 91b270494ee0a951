"""Returns: a customer sends back a delivered order (or some of its lines).

Owns return requests and their lines, the return window, staff decisions, receiving
the goods (refund through the payment gateway and restock), the completion of orders
whose window passed, and the returns API and admin. May import payments, orders and
everything below.
"""
