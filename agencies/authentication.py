"""Who a request is: the sign-in backend for pages and the two ways into the API.

- Pages: `ActiveAgencyBackend` refuses the users of an inactive agency, at sign-in and on
  every request of a session already open (Django asks the backend for the session's user).
- API, systems: `Authorization: Token <key>` (`ExpiringTokenAuthentication`), refused when
  the token has expired, its user or agency is inactive, or its user's role requires the
  second factor.
- API, browser: the session (`VerifiedSessionAuthentication`), refused when the user must
  give a one-time code (role in `OTP_REQUIRED_ROLES`, or a device set up) and has not: the
  page middleware lets `/api/` through, so the API checks it itself.
"""

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from .models import ApiToken, User
from .otp import confirmed_device, otp_required
from .services import mark_token_used, token_refusal


def agency_active(user) -> bool:
    return user.agency_id is None or user.agency.is_active


class ActiveAgencyBackend(ModelBackend):
    """Django's backend, plus: the users of an inactive agency cannot sign in."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and agency_active(user)

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ExpiringTokenAuthentication(TokenAuthentication):
    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user__agency").filter(key=key).first()
            if isinstance(key, str)
            else None
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak valid."))
        if token.is_expired(timezone.now()):
            raise exceptions.AuthenticationFailed(
                _("Token sudah kedaluwarsa; minta token baru kepada administrator sistem."),
                code="token_expired",
            )
        if token_refusal(token.user):
            # Inactive user or agency, or a role that must use the second factor: the
            # same answer for all, as for an unknown key.
            raise exceptions.AuthenticationFailed(_("Token tidak valid."))
        mark_token_used(token)
        return token.user, token


class OTPRequired(exceptions.PermissionDenied):
    default_detail = _(
        "Verifikasi dua langkah diperlukan: masukkan kode sekali pakai di halaman masuk, "
        "atau gunakan token API."
    )
    default_code = "otp_required"


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        is_verified = getattr(user, "is_verified", None)
        verified = bool(is_verified and is_verified())
        if not verified and (otp_required(user) or confirmed_device(user)):
            raise OTPRequired()
        return result


class VerifiedSessionScheme(SessionScheme):
    """The schema describes the session as it did before (`cookieAuth`)."""

    target_class = "agencies.authentication.VerifiedSessionAuthentication"
