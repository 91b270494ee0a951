from django.urls import path

from home.api import views

app_name = "home"

urlpatterns = [
    path("contact/<int:page_id>", views.ContactFormApi.as_view(), name="contact"),
]
