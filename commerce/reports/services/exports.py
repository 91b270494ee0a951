"""Exports as CSV, XLSX or JSON (tablib), streamed or built by a background job.

A CSV of any size streams from the request in chunks. XLSX and JSON need the whole
file in memory, so above ``EXPORT_SYNC_MAX_ROWS`` rows they become an ExportJob that
a Huey task builds; the requester is told where to download it (only they can).
"""

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from commerce.accounts.models import User
from commerce.enums import ExportFormat, ExportJobStatus, ExportKind
from commerce.reports.models import ExportJob
from commerce.reports.selectors import exports as rows
from notify.services import email_message_send

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    ExportFormat.JSON: "application/json",
}
STREAM_CHUNK_ROWS = 1000


@dataclass(frozen=True)
class ExportSource:
    """What one kind of export reads: its headers, queryset and row builder."""

    headers: tuple[str, ...]
    queryset: QuerySet[Any]
    rows: Callable[[QuerySet[Any]], Iterator[tuple[Any, ...]]]
    title: str


# What each kind of export reads: (title, headers, queryset for the filters, rows).
EXPORT_SOURCES: dict[str, tuple[str, tuple[str, ...], Callable[..., Any], Any]] = {
    ExportKind.ORDERS: (
        "Orders",
        rows.ORDER_HEADERS,
        lambda filters: rows.order_export_queryset(filters=filters),
        rows.order_rows,
    ),
    ExportKind.PRODUCTS: (
        "Products",
        rows.PRODUCT_HEADERS,
        lambda filters: rows.product_export_queryset(),
        rows.product_rows,
    ),
    ExportKind.PACKAGES: (
        "Packages",
        rows.PACKAGE_HEADERS,
        lambda filters: rows.package_export_queryset(),
        rows.package_rows,
    ),
    ExportKind.CUSTOMERS: (
        "Customers",
        rows.CUSTOMER_HEADERS,
        lambda filters: rows.customer_export_queryset(
            search=filters.get("search") or ""
        ),
        rows.customer_rows,
    ),
}


def export_source(*, kind: str, filters: dict[str, Any]) -> ExportSource:
    """The rows behind an export of ``kind`` with the list filters ``filters``."""
    title, headers, queryset, row_builder = EXPORT_SOURCES[kind]
    return ExportSource(headers, queryset(filters), row_builder, title)


def dataset_build(
    *, headers: Iterable[str], rows: Iterable[Iterable[Any]], title: str = ""
) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(headers), title=title[:31] or None)
    for row in rows:
        dataset.append([_cell(value) for value in row])
    return dataset


def _cell(value: Any) -> Any:
    """Values every format writes the same way: decimals and dates as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# Characters XML 1.0 (so XLSX) cannot hold: C0 controls except tab, LF and CR.
ILLEGAL_CELL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cell starting with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV injection"); plain numbers such as "-2.00" are left alone.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_cell(value: Any) -> Any:
    """A text cell made safe for spreadsheets.

    Control characters XLSX cannot hold are dropped, and a leading formula prefix is
    neutralised with an apostrophe, so the cell shows as text and is never run.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CELL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _spreadsheet_safe(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([spreadsheet_cell(value) for value in row])
    return safe


def dataset_render(*, dataset: tablib.Dataset, export_format: str) -> bytes:
    """The file in ``export_format``; CSV and XLSX cells go through spreadsheet_cell."""
    export_format = ExportFormat(export_format)
    if export_format in (ExportFormat.CSV, ExportFormat.XLSX):
        dataset = _spreadsheet_safe(dataset)
    data = dataset.export(export_format.value)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def export_filename(*, name: str, export_format: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"{name}-{stamp}.{export_format}"


def csv_stream(
    *, headers: Iterable[str], rows: Iterable[Iterable[Any]]
) -> Iterator[bytes]:
    """CSV in chunks of STREAM_CHUNK_ROWS rows, each written by tablib."""
    headers = list(headers)
    yield dataset_render(
        dataset=dataset_build(headers=headers, rows=[]), export_format="csv"
    )
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, STREAM_CHUNK_ROWS)):
        data = dataset_render(
            dataset=dataset_build(headers=headers, rows=chunk), export_format="csv"
        )
        # Drop the header line tablib writes for every dataset.
        yield data.split(b"\r\n", 1)[1]


def export_needs_job(*, source: ExportSource, export_format: str) -> bool:
    if export_format == ExportFormat.CSV:
        return False
    limit: int = settings.EXPORT_SYNC_MAX_ROWS
    return source.queryset.count() > limit


def export_logged(*, user: User, kind: str, export_format: str, rows: int) -> None:
    """Record that ``user`` exported data (who took what out of the shop)."""
    log(
        instance=user,
        action="commerce.export",
        user=user,
        data={"kind": kind, "format": export_format, "rows": rows},
    )


@dataclass(frozen=True)
class ExportFile:
    """A ready export: bytes, or chunks streamed while the rows are read."""

    filename: str
    content_type: str
    content: bytes | Iterator[bytes]


def export_start(
    *, user: User, kind: str, export_format: str, filters: dict[str, Any]
) -> ExportFile | ExportJob:
    """Start an export for ``user``; every export is logged.

    A CSV streams; a small XLSX/JSON is built now; a large one becomes a job.
    """
    source = export_source(kind=kind, filters=filters)
    filename = export_filename(name=kind, export_format=export_format)
    if export_format == ExportFormat.CSV:
        export_logged(user=user, kind=kind, export_format=export_format, rows=-1)
        return ExportFile(
            filename=filename,
            content_type=CONTENT_TYPES[ExportFormat.CSV],
            content=csv_stream(
                headers=source.headers, rows=source.rows(source.queryset)
            ),
        )
    if export_needs_job(source=source, export_format=export_format):
        return export_job_create(
            requester=user, kind=kind, export_format=export_format, filters=filters
        )
    dataset = dataset_build(
        headers=source.headers, rows=source.rows(source.queryset), title=source.title
    )
    export_logged(
        user=user, kind=kind, export_format=export_format, rows=dataset.height
    )
    return ExportFile(
        filename=filename,
        content_type=CONTENT_TYPES[ExportFormat(export_format)],
        content=dataset_render(dataset=dataset, export_format=export_format),
    )


def report_export(
    *,
    user: User,
    name: str,
    title: str,
    row_class: type[Any],
    rows: Iterable[Any],
    export_format: str,
) -> ExportFile:
    """A report's rows (dataclasses of ``row_class``) as a file; logged as report:name.

    The admin's report downloads and the API's ``?format=`` both come through here.
    """
    headers = [field.name for field in dataclasses.fields(row_class)]
    dataset = dataset_build(
        headers=headers, rows=[dataclasses.astuple(row) for row in rows], title=title
    )
    export_logged(
        user=user,
        kind=f"report:{name}",
        export_format=export_format,
        rows=dataset.height,
    )
    return ExportFile(
        filename=export_filename(name=name, export_format=export_format),
        content_type=CONTENT_TYPES[ExportFormat(export_format)],
        content=dataset_render(dataset=dataset, export_format=export_format),
    )


FILE_CHUNK_BYTES = 64 * 1024


def _file_chunks(job: ExportJob) -> Iterator[bytes]:
    with job.file.open("rb") as handle:
        yield from iter(lambda: handle.read(FILE_CHUNK_BYTES), b"")


def export_job_file(*, job: ExportJob) -> ExportFile:
    """The file a finished job built, streamed in chunks (never read whole).

    Check ``job.file`` first: pending jobs have none.
    """
    return ExportFile(
        filename=export_filename(name=job.kind, export_format=job.export_format),
        content_type=CONTENT_TYPES[ExportFormat(job.export_format)],
        content=_file_chunks(job),
    )


@transaction.atomic
def export_job_create(
    *, requester: User, kind: str, export_format: str, filters: dict[str, Any]
) -> ExportJob:
    """Queue an export; the Huey task runs after the commit."""
    from commerce.tasks import export_job_run_task

    job = ExportJob.objects.create(
        requester=requester,
        kind=ExportKind(kind),
        export_format=ExportFormat(export_format),
        filters=filters,
    )
    transaction.on_commit(lambda: export_job_run_task(str(job.pk)))
    return job


def export_job_run(*, job_id: str) -> ExportJob:
    """Build the file of a pending job and tell its requester; a done job is kept."""
    job = ExportJob.objects.select_related("requester").get(pk=job_id)
    if job.status != ExportJobStatus.PENDING:
        return job
    source = export_source(kind=job.kind, filters=job.filters)
    dataset = dataset_build(
        headers=source.headers, rows=source.rows(source.queryset), title=source.title
    )
    content = dataset_render(dataset=dataset, export_format=job.export_format)
    name = export_filename(name=job.kind, export_format=job.export_format)
    with transaction.atomic():
        job.file.save(name, ContentFile(content), save=False)
        job.row_count = dataset.height
        job.status = ExportJobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "row_count", "status", "finished_at"])
        export_logged(
            user=job.requester,
            kind=job.kind,
            export_format=job.export_format,
            rows=dataset.height,
        )
        export_ready_notify(job=job)
    return job


def export_download_url(*, job: ExportJob) -> str:
    base: str = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("shop_exports:download", args=[job.pk])


def export_ready_notify(*, job: ExportJob) -> None:
    """Email the requester that their export is ready, through the outbox.

    Call in the transaction that finishes the job: the email exists only if the job
    is done, and a failing mail server is retried like any outbox delivery.
    """
    email_message_send(
        to=job.requester.email,
        subject=f"Your {job.get_kind_display().lower()} export is ready",
        text=(
            f"{job.row_count} rows, {job.get_export_format_display()}.\n"
            f"Download it (after logging in): {export_download_url(job=job)}\n"
        ),
    )
