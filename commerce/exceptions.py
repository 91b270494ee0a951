from rest_framework import status

from config.exceptions import ApplicationError


class InvalidCredentialsError(ApplicationError):
    code = "invalid_credentials"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "Invalid email or password."


class TooManyLoginAttemptsError(ApplicationError):
    code = "too_many_login_attempts"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = "Too many failed login attempts. Try again later."


class InvalidRefreshTokenError(ApplicationError):
    code = "invalid_refresh_token"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "The refresh token is invalid, expired or already used."


class InvalidAccountTokenError(ApplicationError):
    code = "invalid_token"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = "The link is invalid or has expired."


class EmailAddressInUseError(ApplicationError):
    code = "email_in_use"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = "Another account uses this email address."


class InvalidSocialTokenError(ApplicationError):
    code = "invalid_social_token"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "The provider did not accept the token."


class SocialProviderUnavailableError(ApplicationError):
    code = "provider_unavailable"
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = "The login provider could not be reached. Try again later."


class LoginMethodDisabledError(ApplicationError):
    code = "login_method_disabled"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "This login method is not enabled."


class SocialEmailRequiredError(ApplicationError):
    code = "social_email_required"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = "The provider did not share an email address for this account."


class SocialEmailInUseError(ApplicationError):
    code = "social_email_in_use"
    status_code = status.HTTP_409_CONFLICT
    default_message = (
        "An account with this email address already exists and the provider does "
        "not confirm that the address is verified. Log in with your password."
    )


class AccountInactiveError(ApplicationError):
    code = "account_inactive"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "This account is deactivated."


class InvalidLoginCodeError(ApplicationError):
    code = "invalid_login_code"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "The login code is invalid, expired or already used."


class LastAdministratorError(ApplicationError):
    code = "last_administrator"
    status_code = status.HTTP_409_CONFLICT
    default_message = (
        "The last active administrator cannot lose the administrator role."
    )


class AddressNotFoundError(ApplicationError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "No such address."


class CatalogueNotFoundError(ApplicationError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "Not found."


class ItemInUseError(ApplicationError):
    code = "in_use"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The item is in use and cannot be deleted."


class InsufficientStockError(ApplicationError):
    code = "insufficient_stock"
    status_code = status.HTTP_409_CONFLICT
    default_message = "Not enough stock."


class IllegalTransitionError(ApplicationError):
    code = "illegal_transition"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The order cannot move to that status."


class ReturnNotAllowedError(ApplicationError):
    code = "return_not_allowed"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The return cannot take that step in its current state."


class IdempotencyKeyReusedError(ApplicationError):
    code = "idempotency_key_reused"
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_message = "This Idempotency-Key was used with a different request."


class EmptyOrderError(ApplicationError):
    code = "empty_order"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = "There is nothing to order."


class PaymentNotAllowedError(ApplicationError):
    code = "payment_not_allowed"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The order cannot be paid in its current state."


class PaymentDeclinedError(ApplicationError):
    code = "payment_declined"
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_message = "The payment was declined."


class PaymentGatewayError(ApplicationError):
    code = "payment_gateway_error"
    status_code = status.HTTP_502_BAD_GATEWAY
    default_message = "The payment provider refused the operation."


class UserHasOrdersError(ApplicationError):
    code = "user_has_orders"
    status_code = status.HTTP_409_CONFLICT
    default_message = (
        "This user has orders, which must be kept: deactivate the account instead "
        "of deleting it."
    )


class CartCredentialsMissingError(ApplicationError):
    code = "not_authenticated"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = (
        "Log in, or send the X-Cart-Token of a guest cart (POST /api/cart creates one)."
    )


class CartNotFoundError(ApplicationError):
    code = "cart_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "No cart has this token."


class CartExpiredError(ApplicationError):
    code = "cart_expired"
    status_code = status.HTTP_410_GONE
    default_message = "This guest cart has expired; start a new one."


class CartChangedError(ApplicationError):
    """Prices or stock changed since the shopper was shown the cart."""

    code = "cart_changed"
    status_code = status.HTTP_409_CONFLICT
    default_message = (
        "The cart changed since it was shown: review the new prices and stock."
    )


class VoucherNotApplicableError(ApplicationError):
    """The cart's voucher no longer applies when the order is placed."""

    code = "voucher_not_applicable"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The voucher no longer applies to this order."


class ItemNotReceivedError(ApplicationError):
    code = "item_not_received"
    status_code = status.HTTP_403_FORBIDDEN
    default_message = (
        "Only customers who received this item (an order of it was delivered) can "
        "review it."
    )


class ReviewNotFoundError(ApplicationError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "No such review."
