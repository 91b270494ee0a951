"""Built-in email templates (used until an administrator edits them) and preview data."""

SHOP = {"name": "Fantasize", "url": "https://shop.example.com"}

# What an order's emails show: the lines with their choices, the totals with tax, the
# shipping method and the addresses. Shared by the confirmation and shipped emails.
ORDER_TEXT = (
    "{% for line in order.lines %}{{ line.quantity }} × {{ line.name }}: "
    "{{ line.unit_price }} each, {{ line.line_total }} {{ order.currency }}\n"
    "{% for choice in line.choices %}    {{ choice.label }}: {{ choice.value }}\n"
    "{% endfor %}{% endfor %}\n"
    "Subtotal: {{ order.subtotal }} {{ order.currency }}\n"
    "{% if order.shipping_method %}Shipping ({{ order.shipping_method.name }}): "
    "{{ order.shipping }} {{ order.currency }}\n{% endif %}"
    "{% if order.discount|float %}Discount: -{{ order.discount }} "
    "{{ order.currency }}\n{% endif %}"
    "Tax{% if order.prices_include_tax %} (included){% endif %}: {{ order.tax }} "
    "{{ order.currency }}\n"
    "Total: {{ order.total }} {{ order.currency }}\n\n"
    "Shipping address:\n{% for line in order.shipping_address_lines %}"
    "    {{ line }}\n{% endfor %}"
    "{% if order.billing_address_lines %}Billing address:\n"
    "{% for line in order.billing_address_lines %}    {{ line }}\n{% endfor %}"
    "{% endif %}"
)
ORDER_HTML = (
    '<table cellpadding="4"><thead><tr><th align="left">Item</th>'
    '<th align="right">Quantity</th><th align="right">Unit price</th>'
    '<th align="right">Total</th></tr></thead><tbody>'
    "{% for line in order.lines %}<tr><td>{{ line.name }}"
    "{% for choice in line.choices %}<br><small>{{ choice.label }}: "
    "{{ choice.value }}</small>{% endfor %}</td>"
    '<td align="right">{{ line.quantity }}</td>'
    '<td align="right">{{ line.unit_price }}</td>'
    '<td align="right">{{ line.line_total }} {{ order.currency }}</td></tr>'
    "{% endfor %}</tbody></table>"
    '<table cellpadding="4">'
    '<tr><td>Subtotal</td><td align="right">{{ order.subtotal }} '
    "{{ order.currency }}</td></tr>"
    "{% if order.shipping_method %}<tr><td>Shipping "
    '({{ order.shipping_method.name }})</td><td align="right">{{ order.shipping }} '
    "{{ order.currency }}</td></tr>{% endif %}"
    '{% if order.discount|float %}<tr><td>Discount</td><td align="right">'
    "-{{ order.discount }} {{ order.currency }}</td></tr>{% endif %}"
    "<tr><td>Tax{% if order.prices_include_tax %} (included){% endif %}</td>"
    '<td align="right">{{ order.tax }} {{ order.currency }}</td></tr>'
    '<tr><td><strong>Total</strong></td><td align="right"><strong>'
    "{{ order.total }} {{ order.currency }}</strong></td></tr></table>"
    "<p><strong>Shipping address</strong>{% for line in order.shipping_address_lines %}"
    "<br>{{ line }}{% endfor %}</p>"
    "{% if order.billing_address_lines %}<p><strong>Billing address</strong>"
    "{% for line in order.billing_address_lines %}<br>{{ line }}{% endfor %}</p>"
    "{% endif %}"
)
TRACKING_TEXT = (
    "{% if order.tracking_carrier %}Carrier: {{ order.tracking_carrier }}\n"
    "{% endif %}{% if order.tracking_number %}Tracking number: "
    "{{ order.tracking_number }}\n{% endif %}"
)
TRACKING_HTML = (
    "{% if order.tracking_carrier or order.tracking_number %}<p>"
    "{% if order.tracking_carrier %}Carrier: {{ order.tracking_carrier }}<br>"
    "{% endif %}{% if order.tracking_number %}Tracking number: "
    "<strong>{{ order.tracking_number }}</strong>{% endif %}</p>{% endif %}"
)

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
        "{{ order.number }}.\n\n" + ORDER_TEXT + "\nSee your order: {{ order.url }}\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>thank you for order "
        "<strong>{{ order.number }}</strong>.</p>"
        + ORDER_HTML
        + '<p><a href="{{ order.url }}">See your order</a></p>',
    },
    "order_status_changed": {
        "subject": "Order {{ order.number }} is {{ order.status_label }}",
        "push": "Order {{ order.number }} is now {{ order.status_label }}.",
        "text": "Hello {{ user.name or user.email }},\n\norder {{ order.number }} "
        "is now {{ order.status_label }}.\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>order "
        "<strong>{{ order.number }}</strong> is now {{ order.status_label }}.</p>",
    },
    "order_shipped": {
        "subject": "Order {{ order.number }} has shipped",
        "push": "Order {{ order.number }} is on its way.",
        "text": "Hello {{ user.name or user.email }},\n\norder {{ order.number }} "
        "is on its way.\n"
        + TRACKING_TEXT
        + "\n"
        + ORDER_TEXT
        + "\nSee your order: {{ order.url }}\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>order "
        "<strong>{{ order.number }}</strong> is on its way.</p>"
        + TRACKING_HTML
        + ORDER_HTML
        + '<p><a href="{{ order.url }}">See your order</a></p>',
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
    "order_return": {
        "subject": "Return {{ order_return.id }} of order {{ order.number }}: "
        "{{ order_return.status_label }}",
        "push": "Your return of order {{ order.number }} is "
        "{{ order_return.status_label }}.",
        "text": "Hello {{ user.name or user.email }},\n\n"
        "{% if order_return.status == 'requested' %}we received your request to "
        "return these items of order {{ order.number }}:\n"
        "{% elif order_return.status == 'approved' %}your return of order "
        "{{ order.number }} is approved: please send these items back:\n"
        "{% elif order_return.status == 'rejected' %}we cannot accept the return of "
        "these items of order {{ order.number }}:\n"
        "{% else %}we received the items you returned from order {{ order.number }} "
        "and refunded {{ order_return.refund_amount }} {{ order.currency }}:\n"
        "{% endif %}"
        "{% for line in order_return.lines %}{{ line.quantity }} × {{ line.name }}\n"
        "{% endfor %}"
        "{% if order_return.note %}\nNote: {{ order_return.note }}\n{% endif %}"
        "\nSee your order: {{ order.url }}\n",
        "html": "<p>Hello {{ user.name or user.email }},</p><p>"
        "{% if order_return.status == 'requested' %}we received your request to "
        "return these items of order <strong>{{ order.number }}</strong>:"
        "{% elif order_return.status == 'approved' %}your return of order "
        "<strong>{{ order.number }}</strong> is approved: please send these items "
        "back:{% elif order_return.status == 'rejected' %}we cannot accept the "
        "return of these items of order <strong>{{ order.number }}</strong>:"
        "{% else %}we received the items you returned from order "
        "<strong>{{ order.number }}</strong> and refunded "
        "{{ order_return.refund_amount }} {{ order.currency }}:{% endif %}</p><ul>"
        "{% for line in order_return.lines %}<li>{{ line.quantity }} × "
        "{{ line.name }}</li>{% endfor %}</ul>"
        "{% if order_return.note %}<p>{{ order_return.note }}</p>{% endif %}"
        '<p><a href="{{ order.url }}">See your order</a></p>',
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
_ADDRESS = ["Ada Lovelace", "12 Analytical Row", "10115 Berlin", "DE"]
_ORDER = {
    "number": "FNT-00001234",
    "url": "https://shop.example.com/orders/7a4c2c4e-5b8e-4f0e-9d1c-2b1d0f6c9a10",
    "total": "42.50",
    "currency": "EUR",
    "status": "shipped",
    "status_label": "shipped",
    "note": "",
    "lines": [
        {
            "name": "Engraved mug",
            "sku": "MUG-1",
            "quantity": 2,
            "unit_price": "15.00",
            "line_total": "30.00",
            "choices": [
                {"label": "Colour", "value": "Red"},
                {"label": "Engraving", "value": "For Ada"},
            ],
        },
        {
            "name": "Notebook",
            "sku": "NB-1",
            "quantity": 1,
            "unit_price": "7.55",
            "line_total": "7.55",
            "choices": [],
        },
    ],
    "subtotal": "37.55",
    "shipping": "4.95",
    "tax": "6.79",
    "discount": "0.00",
    "prices_include_tax": True,
    "shipping_method": {"name": "Standard", "price": "4.95"},
    "shipping_address_lines": _ADDRESS,
    "billing_address_lines": [],
    "tracking_carrier": "DHL",
    "tracking_number": "00340434161234567890",
}
SAMPLE_CONTEXTS = {
    "welcome": {"shop": SHOP, "user": _USER},
    "order_placed": {"shop": SHOP, "user": _USER, "order": _ORDER},
    "order_status_changed": {"shop": SHOP, "user": _USER, "order": _ORDER},
    "order_shipped": {"shop": SHOP, "user": _USER, "order": _ORDER},
    "order_cancelled": {
        "shop": SHOP,
        "user": _USER,
        "order": {**_ORDER, "status": "cancelled", "note": "Out of stock"},
    },
    "order_return": {
        "shop": SHOP,
        "user": _USER,
        "order": {**_ORDER, "status": "return_requested"},
        "order_return": {
            "id": 12,
            "status": "approved",
            "status_label": "approved",
            "reason": "The mug is chipped.",
            "note": "Send it back with the label in the box.",
            "refund_amount": "0.00",
            "lines": [{"name": "Engraved mug", "sku": "MUG-1", "quantity": 1}],
        },
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
