"""The HTTP form of a ready export, shared by the admin views and the API."""

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse

from commerce.reports.services.exports import ExportFile


def export_file_response(export: ExportFile) -> HttpResponseBase:
    if isinstance(export.content, bytes):
        response: HttpResponseBase = HttpResponse(
            export.content, content_type=export.content_type
        )
    else:
        response = StreamingHttpResponse(
            export.content, content_type=export.content_type
        )
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
