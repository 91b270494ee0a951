"""The admin and the API read report ranges and build report and export files alike."""

from datetime import UTC, datetime

import pytest

from commerce.reports.admin.reports import ReportFilterForm
from tests.commerce.fixtures import client_for
from tests.commerce.report_fixtures import shop_history

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _admin_range(params: dict[str, str]) -> tuple[str, str] | dict[str, list[str]]:
    form = ReportFilterForm(params)
    if not form.is_valid():
        return dict(form.errors)
    data = form.cleaned_data
    return data["date_from"].isoformat(), data["date_to"].isoformat()


def _api_range(client, params: dict[str, str]) -> tuple[str, str] | dict[str, list]:
    response = client.get("/api/admin/reports/sales", params)
    body = response.json()
    if response.status_code == 400:
        return body["errors"]
    assert response.status_code == 200, body
    return body["date_from"], body["date_to"]


@pytest.mark.parametrize(
    ("params", "expected", "_case"),
    [
        ({}, ("2026-02-09", "2026-03-10"), "default_last_30_days"),
        ({"tz": "Pacific/Kiritimati"}, ("2026-02-10", "2026-03-11"), "today_in_zone"),
        ({"date_to": "2026-01-31"}, ("2026-01-02", "2026-01-31"), "end_only"),
        (
            {"date_from": "2022-12-31", "date_to": "2026-01-01"},
            ("2022-12-31", "2026-01-01"),
            "longest_range",
        ),
        (
            {"date_from": "2022-12-30", "date_to": "2026-01-01"},
            {"date_from": ["A report covers at most 1098 days."]},
            "one_day_too_long",
        ),
        (
            {"date_from": "2026-02-02", "date_to": "2026-02-01"},
            {"date_from": ["The start date must not be after the end date."]},
            "start_after_end",
        ),
    ],
)
def test_the_admin_and_the_api_read_a_report_range_alike(
    manager, time_machine, params, expected, _case
):
    # given
    time_machine.move_to(NOW, tick=False)

    # when
    from_admin = _admin_range(params)
    from_api = _api_range(client_for(manager), params)

    # then
    assert from_admin == expected
    assert from_api == expected


def test_a_report_downloads_the_same_file_from_the_admin_and_the_api(client, manager):
    # given
    shop_history()
    client.force_login(manager)
    params = {"date_from": "2026-03-01", "date_to": "2026-03-02", "tz": "UTC"}

    # when
    from_admin = client.get(
        "/admin/shop/reports/", {**params, "report": "sales", "export": "csv"}
    )
    from_api = client_for(manager).get(
        "/api/admin/reports/sales", {**params, "format": "csv"}
    )

    # then
    assert from_admin.status_code == from_api.status_code == 200
    assert from_admin["Content-Type"] == from_api["Content-Type"]
    assert from_admin.content == from_api.content
    assert from_admin.content.decode().splitlines() == [
        "period_start,orders,paid_orders,revenue,currency",
        "2026-03-01,2,1,35.00,EUR",
        "2026-03-02,0,0,0.00,EUR",
    ]
