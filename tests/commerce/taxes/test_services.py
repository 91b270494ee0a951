"""Tax per line and on shipping, rounded per line; plugins may replace the result.

Every expected figure is worked out by hand in the comments (half up to the cent,
or to the yen).
"""

from decimal import Decimal

import pytest
from django.test import override_settings

from commerce.plugins import BasePlugin, PluginResultError
from commerce.taxes.services import (
    TaxedAmount,
    TaxLineInput,
    TaxResult,
    tax_calculate,
)
from tests.commerce.checkout_factories import TaxClassFactory, TaxRateFactory

pytestmark = pytest.mark.django_db

D = Decimal
ZERO_SHIPPING = TaxedAmount(
    key="shipping", rate=D("19.00"), net=D("0.00"), tax=D("0.00"), gross=D("0.00")
)


@pytest.fixture
def reduced():
    return TaxClassFactory(name="Reduced")


@pytest.fixture
def germany(reduced):
    TaxRateFactory(country="DE", tax_class=None, rate=D("19.00"))
    TaxRateFactory(country="DE", tax_class=reduced, rate=D("7.00"))


@pytest.fixture
def france(reduced):
    TaxRateFactory(country="FR", tax_class=None, rate=D("20.00"))
    TaxRateFactory(country="FR", tax_class=reduced, rate=D("5.50"))


def _line(amount, tax_class=None, key="line"):
    return TaxLineInput(
        key=key, amount=D(amount), tax_class_id=tax_class.pk if tax_class else None
    )


@pytest.mark.usefixtures("germany")
def test_prices_including_tax_split_the_gross_at_the_standard_rate(
    django_assert_num_queries,
):
    # 49.90 / 1.19 = 41.9327… → net 41.93; tax 49.90 − 41.93 = 7.97
    with django_assert_num_queries(1):
        result = tax_calculate(
            country="DE",
            lines=[_line("49.90", key="a")],
            shipping=D("0.00"),
            prices_include_tax=True,
        )

    assert result == TaxResult(
        lines=[
            TaxedAmount(
                key="a",
                rate=D("19.00"),
                net=D("41.93"),
                tax=D("7.97"),
                gross=D("49.90"),
            )
        ],
        shipping=ZERO_SHIPPING,
    )
    assert result.total_tax == D("7.97")


@pytest.mark.usefixtures("germany")
def test_a_reduced_line_is_taxed_at_its_class_rate(reduced):
    # 3 × 9.99 = 29.97 at 7 %: 29.97 / 1.07 = 28.0093… → net 28.01; tax 1.96
    result = tax_calculate(
        country="DE",
        lines=[_line("29.97", reduced)],
        shipping=D("0.00"),
        prices_include_tax=True,
    )

    assert result.lines == [
        TaxedAmount(
            key="line", rate=D("7.00"), net=D("28.01"), tax=D("1.96"), gross=D("29.97")
        )
    ]


@pytest.mark.usefixtures("france")
def test_prices_excluding_tax_add_the_tax_to_the_net(reduced):
    # 10.00 at 20 %: tax 10.00 × 0.20 = 2.00; gross 12.00
    # 19.99 at 5.5 %: 19.99 × 0.055 = 1.09945 → tax 1.10; gross 21.09
    result = tax_calculate(
        country="FR",
        lines=[_line("10.00", key="a"), _line("19.99", reduced, key="b")],
        shipping=D("0.00"),
        prices_include_tax=False,
    )

    assert result.lines == [
        TaxedAmount(
            key="a", rate=D("20.00"), net=D("10.00"), tax=D("2.00"), gross=D("12.00")
        ),
        TaxedAmount(
            key="b", rate=D("5.50"), net=D("19.99"), tax=D("1.10"), gross=D("21.09")
        ),
    ]
    assert result.total_tax == D("3.10")


@pytest.mark.usefixtures("germany")
def test_each_line_is_rounded_on_its_own():
    # One line of 0.05 at 19 %: 0.05 / 1.19 = 0.0420… → net 0.04, tax 0.01.
    # Three such lines: tax 3 × 0.01 = 0.03, where taxing their sum would give
    # 0.15 − round(0.15 / 1.19 = 0.1260…) = 0.15 − 0.13 = 0.02.
    result = tax_calculate(
        country="DE",
        lines=[_line("0.05", key=key) for key in ("a", "b", "c")],
        shipping=D("0.00"),
        prices_include_tax=True,
    )

    assert [(line.net, line.tax, line.gross) for line in result.lines] == [
        (D("0.04"), D("0.01"), D("0.05"))
    ] * 3
    assert result.total_tax == D("0.03")


@pytest.mark.usefixtures("germany")
def test_shipping_is_taxed_at_the_standard_rate_even_for_reduced_lines(reduced):
    # Shipping 4.90 at 19 %: 4.90 / 1.19 = 4.1176… → net 4.12, tax 0.78.
    # The line, 10.00 at 7 %: 10.00 / 1.07 = 9.3457… → net 9.35, tax 0.65.
    result = tax_calculate(
        country="DE",
        lines=[_line("10.00", reduced)],
        shipping=D("4.90"),
        prices_include_tax=True,
    )

    assert result.shipping == TaxedAmount(
        key="shipping", rate=D("19.00"), net=D("4.12"), tax=D("0.78"), gross=D("4.90")
    )
    assert result.lines[0].tax == D("0.65")
    assert result.total_tax == D("1.43")


def test_a_class_without_a_rate_in_the_country_falls_back_to_the_standard_rate():
    # The class has a rate in Germany only; in the Netherlands the standard 21 %
    # applies: 12.10 / 1.21 = 10.00 exactly, tax 2.10.
    books = TaxClassFactory(name="Books")
    TaxRateFactory(country="DE", tax_class=books, rate=D("7.00"))
    TaxRateFactory(country="NL", tax_class=None, rate=D("21.00"))

    result = tax_calculate(
        country="NL",
        lines=[_line("12.10", books)],
        shipping=D("0.00"),
        prices_include_tax=True,
    )

    assert (result.lines[0].rate, result.lines[0].net, result.lines[0].tax) == (
        D("21.00"),
        D("10.00"),
        D("2.10"),
    )


@pytest.mark.usefixtures("germany")
@pytest.mark.parametrize(
    ("_case", "country", "queries"),
    [("country without rates", "US", 1), ("no country yet", None, 0)],
)
def test_no_rate_means_no_tax(
    _case, country, queries, reduced, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        result = tax_calculate(
            country=country,
            lines=[_line("49.90"), _line("9.99", reduced, key="reduced")],
            shipping=D("4.90"),
            prices_include_tax=False,
        )

    assert [(line.rate, line.tax, line.gross) for line in result.lines] == [
        (D("0"), D("0.00"), D("49.90")),
        (D("0"), D("0.00"), D("9.99")),
    ]
    assert (result.shipping.tax, result.shipping.gross) == (D("0.00"), D("4.90"))
    assert result.total_tax == D("0.00")


@pytest.mark.usefixtures("germany")
@pytest.mark.parametrize(
    ("_case", "prices_include_tax", "expected"),
    [
        # 11.90 / 1.19 = 10.00: net 10.00, tax 1.90
        ("included", True, (D("10.00"), D("1.90"), D("11.90"))),
        # 11.90 × 0.19 = 2.261 → tax 2.26; gross 14.16
        ("excluded", False, (D("11.90"), D("2.26"), D("14.16"))),
    ],
)
def test_prices_include_tax_defaults_to_the_setting(
    _case, prices_include_tax, expected
):
    with override_settings(PRICES_INCLUDE_TAX=prices_include_tax):
        result = tax_calculate(country="DE", lines=[_line("11.90")], shipping=D("0"))

    line = result.lines[0]
    assert (line.net, line.tax, line.gross) == expected


@pytest.mark.usefixtures("germany")
@override_settings(SHOP_CURRENCY="JPY")
def test_yen_round_to_whole_units():
    # Included: 1000 / 1.19 = 840.336… → net 840, tax 160.
    # Excluded: 1234 × 0.19 = 234.46 → tax 234, gross 1468.
    # Shipping 500 included: 500 / 1.19 = 420.168… → net 420, tax 80.
    included = tax_calculate(
        country="DE",
        lines=[_line("1000")],
        shipping=D("500"),
        prices_include_tax=True,
    )
    excluded = tax_calculate(
        country="DE", lines=[_line("1234")], shipping=D("0"), prices_include_tax=False
    )

    line = included.lines[0]
    assert (line.net, line.tax, line.gross) == (D("840"), D("160"), D("1000"))
    assert (included.shipping.net, included.shipping.tax) == (D("420"), D("80"))
    assert str(line.net) == "840"  # no minor digits
    line = excluded.lines[0]
    assert (line.net, line.tax, line.gross) == (D("1234"), D("234"), D("1468"))


@pytest.mark.usefixtures("germany")
def test_an_explicit_currency_wins_over_the_shops():
    # 1000 / 1.19 = 840.336… → 840 yen, though the shop's currency is EUR.
    result = tax_calculate(
        country="DE",
        lines=[_line("1000")],
        shipping=D("0"),
        prices_include_tax=True,
        currency="JPY",
    )

    assert (result.lines[0].net, result.lines[0].tax) == (D("840"), D("160"))


# PLUGINS

RECEIVED: list[dict] = []


class TaxExemptPlugin(BasePlugin):
    """Exports: no tax at all, the net prices stay what they were."""

    identifier = "tests.tax_exempt"

    def tax_calculate(self, previous, **kwargs):
        RECEIVED.append({"previous": previous, **kwargs})

        def exempt(amount):
            return TaxedAmount(
                key=amount.key,
                rate=D("0"),
                net=amount.net,
                tax=D("0"),
                gross=amount.net,
            )

        return TaxResult(
            lines=[exempt(line) for line in previous.lines],
            shipping=exempt(previous.shipping),
        )


class LineDroppingPlugin(BasePlugin):
    identifier = "tests.line_dropping"

    def tax_calculate(self, previous, **kwargs):
        return TaxResult(lines=previous.lines[1:], shipping=previous.shipping)


class NoResultPlugin(BasePlugin):
    identifier = "tests.no_result"

    def tax_calculate(self, previous, **kwargs):
        return {"total_tax": "0.00"}


@pytest.fixture
def received():
    RECEIVED.clear()
    yield RECEIVED
    RECEIVED.clear()


@pytest.mark.usefixtures("germany")
def test_a_plugin_replaces_the_calculation(settings, received):
    # given
    settings.PLUGINS = [f"{__name__}.TaxExemptPlugin"]
    lines = [_line("11.90", key="a")]

    # when
    result = tax_calculate(
        country="DE", lines=lines, shipping=D("5.95"), prices_include_tax=True
    )

    # then the plugin got the default result (11.90 / 1.19 = 10.00;
    # 5.95 / 1.19 = 5.00) and what it was computed from
    [call] = received
    assert call["previous"].lines[0].net == D("10.00")
    assert call["previous"].shipping.net == D("5.00")
    assert {key: value for key, value in call.items() if key != "previous"} == {
        "country": "DE",
        "lines": lines,
        "shipping": D("5.95"),
        "prices_include_tax": True,
        "currency": "EUR",
    }
    assert result == TaxResult(
        lines=[
            TaxedAmount(
                key="a", rate=D("0"), net=D("10.00"), tax=D("0"), gross=D("10.00")
            )
        ],
        shipping=TaxedAmount(
            key="shipping", rate=D("0"), net=D("5.00"), tax=D("0"), gross=D("5.00")
        ),
    )
    assert result.total_tax == D("0")


@pytest.mark.usefixtures("germany")
@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        ("NoResultPlugin", "returned dict, not a TaxResult"),
        ("LineDroppingPlugin", r"one TaxedAmount per line.*\['a', 'b'\], got \['b'\]"),
    ],
)
def test_a_malformed_plugin_result_is_refused(settings, plugin, message):
    settings.PLUGINS = [f"{__name__}.{plugin}"]

    with pytest.raises(PluginResultError, match=message):
        tax_calculate(
            country="DE",
            lines=[_line("1.00", key="a"), _line("2.00", key="b")],
            shipping=D("0"),
            prices_include_tax=True,
        )
