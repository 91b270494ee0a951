"""Built-in email templates (used until an administrator edits them) and preview data."""

SHOP = {"name": "Fantasize", "url": "https://shop.example.com"}

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "welcome": {
        "subject": "Welcome to {{ shop.name }}",
        "push": "Your account is ready.",
        "text": "Hello {{ user.name or user.email }},\n\nyour {{ shop.name }} "
        "account is ready.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p>"
        "<p>your {{ shop.name }} account is ready.</p>",
    },
    "order_placed": {
        "subject": "Order {{ order.number }} received",
        "push": "We received order {{ order.number }} ({{ order.total }}).",
        "text": "Hello {{ user.name or user.email }},\n\nthank you for order "
        "{{ order.number }}. Total: {{ order.total }} {{ order.currency }}.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>thank you for order "
        "<strong>{{ order.number }}</strong>. Total: {{ order.total }} "
        "{{ order.currency }}.</p>",
    },
    "order_status_changed": {
        "subject": "Order {{ order.number }} is {{ order.status_label }}",
        "push": "Order {{ order.number }} is now {{ order.status_label }}.",
        "text": "Hello {{ user.name or user.email }},\n\norder {{ order.number }} "
        "is now {{ order.status_label }}.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>order "
        "<strong>{{ order.number }}</strong> is now {{ order.status_label }}.</p>",
    },
    "order_cancelled": {
        "subject": "Order {{ order.number }} was cancelled",
        "push": "Order {{ order.number }} was cancelled.",
        "text": "Hello {{ user.name or user.email }},\n\norder {{ order.number }} "
        "was cancelled.{% if order.note %} Note: {{ order.note }}{% endif %}\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>order "
        "<strong>{{ order.number }}</strong> was cancelled.</p>"
        "{% if order.note %}<p>{{ order.note }}</p>{% endif %}",
    },
    "staff_new_order": {
        "subject": "New order {{ order.number }}",
        "push": "New order {{ order.number }}: {{ order.total }}.",
        "text": "Order {{ order.number }} was placed: {{ order.total }} "
        "{{ order.currency }}, status {{ order.status_label }}.\n",
        "html": "<p>Order <strong>{{ order.number }}</strong> was placed: "
        "{{ order.total }} {{ order.currency }}, status {{ order.status_label }}.</p>",
    },
    "announcement": {
        "subject": "{{ title }}",
        "push": "{{ body }}",
        "text": "{{ body }}\n",
        "html": "<p>{{ body }}</p>",
    },
    "password_reset": {
        "subject": "Reset your {{ shop.name }} password",
        "push": "",
        "text": "Hello {{ user.name or user.email }},\n\nsomeone asked to reset the "
        "password of your {{ shop.name }} account. To choose a new password, open "
        "this link within {{ expires_minutes }} minutes:\n\n{{ link }}\n\n"
        "If it was not you, ignore this email: your password stays as it is.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>someone asked to "
        "reset the password of your {{ shop.name }} account. To choose a new "
        "password, open this link within {{ expires_minutes }} minutes:</p>"
        '<p><a href="{{ link }}">{{ link }}</a></p>'
        "<p>If it was not you, ignore this email: your password stays as it is.</p>",
    },
    "email_change_confirm": {
        "subject": "Confirm your new {{ shop.name }} email address",
        "push": "",
        "text": "Hello {{ user.name or user.email }},\n\nto use {{ new_email }} for "
        "your {{ shop.name }} account, open this link within {{ expires_minutes }} "
        "minutes:\n\n{{ link }}\n\nIf it was not you, ignore this email.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>to use "
        "{{ new_email }} for your {{ shop.name }} account, open this link within "
        "{{ expires_minutes }} minutes:</p>"
        '<p><a href="{{ link }}">{{ link }}</a></p>'
        "<p>If it was not you, ignore this email.</p>",
    },
    "email_changed": {
        "subject": "Your {{ shop.name }} email address was changed",
        "push": "",
        "text": "Hello {{ user.name or user.email }},\n\nthe email address of your "
        "{{ shop.name }} account is now {{ new_email }}. If you did not ask for "
        "this, contact us at once.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>the email address of "
        "your {{ shop.name }} account is now {{ new_email }}. If you did not ask "
        "for this, contact us at once.</p>",
    },
    "account_exists": {
        "subject": "Your {{ shop.name }} account",
        "push": "",
        "text": "Hello {{ user.name or user.email }},\n\nsomeone tried to create a "
        "{{ shop.name }} account with this address, which already has one. If it "
        "was you, log in, or reset your password here:\n\n{{ link }}\n\n"
        "If it was not you, ignore this email.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>someone tried to "
        "create a {{ shop.name }} account with this address, which already has one. "
        "If it was you, log in, or "
        '<a href="{{ link }}">reset your password</a>.</p>'
        "<p>If it was not you, ignore this email.</p>",
    },
}

_USER = {"name": "Ada Lovelace", "email": "ada@example.com"}
_ORDER = {
    "number": "FNT-00001234",
    "total": "42.50",
    "currency": "EUR",
    "status": "shipped",
    "status_label": "shipped",
    "note": "",
}
SAMPLE_CONTEXTS = {
    "welcome": {"shop": SHOP, "user": _USER},
    "order_placed": {"shop": SHOP, "user": _USER, "order": _ORDER},
    "order_status_changed": {"shop": SHOP, "user": _USER, "order": _ORDER},
    "order_cancelled": {
        "shop": SHOP,
        "user": _USER,
        "order": {**_ORDER, "status": "cancelled", "note": "Out of stock"},
    },
    "staff_new_order": {"shop": SHOP, "user": _USER, "order": _ORDER},
    "announcement": {
        "shop": SHOP,
        "user": _USER,
        "title": "Summer sale",
        "body": "Everything 20% off this week.",
    },
    "password_reset": {
        "shop": SHOP,
        "user": _USER,
        "link": "https://shop.example.com/reset?token=MQ.c2v0-0123456789abcdef",
        "expires_minutes": 60,
    },
    "email_change_confirm": {
        "shop": SHOP,
        "user": _USER,
        "new_email": "ada.new@example.com",
        "link": "https://shop.example.com/email/confirm?token=eyJ1Ijox.0123",
        "expires_minutes": 1440,
    },
    "email_changed": {"shop": SHOP, "user": _USER, "new_email": "ada.new@example.com"},
    "account_exists": {
        "shop": SHOP,
        "user": _USER,
        "link": "https://shop.example.com/forgot-password",
    },
}
