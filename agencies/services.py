"""Writes on accounts: API tokens (issue, revoke) and who may hold one.

Tokens are for systems (a unit's case system), never for the roles whose sign-in requires
the second factor (`OTP_REQUIRED_ROLES`): a token cannot carry a one-time code, so a token
of such a role would be a way around it. Systems get their own UNIT-role service users.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User
from .otp import otp_required


def token_refusal(user: User) -> str | None:
    """Why `user` may not hold (or use) an API token, or None if it may."""
    if not user.is_active:
        return _("Pengguna tidak aktif.")
    if user.agency_id is not None and not user.agency.is_active:
        return _("Instansi pengguna tidak aktif.")
    if otp_required(user):
        return _(
            "Peran ini wajib verifikasi dua langkah dan tidak boleh memegang token API; "
            "buat pengguna layanan berperan Unit untuk sistem tersebut."
        )
    return None


def token_ttl() -> timedelta:
    return timedelta(days=settings.TOKEN_TTL_DAYS)


@transaction.atomic
def issue_token(*, user: User) -> ApiToken:
    """A new token for `user`, replacing (revoking) any it held; valid `TOKEN_TTL_DAYS`."""
    refusal = token_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    ApiToken.objects.filter(user=user).delete()
    return ApiToken.objects.create(user=user, expires_at=timezone.now() + token_ttl())


def revoke_tokens(*, user: User) -> int:
    """Delete every token of `user`; the number deleted."""
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted


# Last-used time is written at most once a minute per token, so a busy client does not
# write a row on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def mark_token_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
