"""Reports: what the shop has done.

Owns sales and stock reports, the dashboard figures and charts, exports (CSV, XLSX,
JSON; streamed or built by a background job), the audit-log API, and their admin
pages.

May import orders, cart, catalogue and accounts.
"""
