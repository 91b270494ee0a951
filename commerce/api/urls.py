"""Every /api/ route of commerce: each domain package lists its own."""

from commerce.accounts.api.urls import urlpatterns as accounts
from commerce.cart.api.urls import urlpatterns as cart
from commerce.catalogue.api.urls import urlpatterns as catalogue
from commerce.orders.api.urls import urlpatterns as orders
from commerce.payments.api.urls import urlpatterns as payments
from commerce.reports.api.urls import urlpatterns as reports
from commerce.returns.api.urls import urlpatterns as returns
from commerce.reviews.api.urls import urlpatterns as reviews

app_name = "commerce"

urlpatterns = [
    *reviews,
    *reports,
    *returns,
    *orders,
    *payments,
    *cart,
    *accounts,
    *catalogue,
]
