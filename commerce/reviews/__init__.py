"""Reviews and ratings: customers rate what they received, staff moderate.

Above payments in the package layers: it reads orders (what a customer received) and
writes the catalogue's rating figures.
"""
