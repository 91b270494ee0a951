"""Cart: what a customer is about to buy.

Owns the cart and its lines with customization choices, priced at today's prices;
stock is shown but only taken when an order is placed.

May import catalogue and accounts.
"""
