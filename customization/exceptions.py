from rest_framework import status

from config.exceptions import ApplicationError


class CustomizationInUseError(ApplicationError):
    code = "in_use"
    status_code = status.HTTP_409_CONFLICT
    default_message = (
        "The customization is attached to a product or package; detach it first."
    )


class CustomizationNotFoundError(ApplicationError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "Not found."


class UploadsBusyError(ApplicationError):
    code = "uploads_busy"
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = "Too many photos are being processed. Try again in a moment."
