"""Encryption at rest for victim identities, and the keyed hash of the NIK.

Keys come from the environment (`FIELD_ENCRYPTION_KEYS`, newest first). Fernet is
authenticated encryption; MultiFernet decrypts with any listed key and encrypts with the
first, so adding a new key in front rotates, and re-saving re-encrypts.
"""

import hashlib
import hmac
import re
from datetime import date
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set.")
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Never echo the ciphertext or plaintext: only say that no key fits.
        raise ImproperlyConfigured(
            "An identity cannot be decrypted with the configured keys."
        ) from exc


def key_fingerprint() -> str:
    """A short fingerprint of the key that encrypts (the first one): tells operators which
    key a process runs with, without revealing the key."""
    keys = settings.FIELD_ENCRYPTION_KEYS
    return hashlib.sha256(keys[0].encode()).hexdigest()[:12] if keys else ""


def readable(token: str, *, newest_only: bool = False) -> bool:
    """Whether a stored token decrypts: with any configured key, or with the newest alone
    (which must hold before an older key is removed)."""
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        return False
    box = Fernet(keys[0]) if newest_only else fernet()
    try:
        box.decrypt(token.encode())
    except (InvalidToken, ValueError):
        return False
    return True


def normalise_nik(nik: str) -> str:
    # ASCII digits only: `\D` would keep full-width and Arabic-Indic digits as other people.
    return re.sub(r"[^0-9]", "", nik or "")


def nik_hash(nik: str) -> str:
    """Keyed hash (blind index) of the normalised NIK; empty for no NIK."""
    digits = normalise_nik(nik)
    if not digits:
        return ""
    return keyed_digest(digits)


def keyed_digest(text: str) -> str:
    """HMAC-SHA-256 under NIK_HASH_KEY: the key that travels with every backup and is never
    rotated casually (unlike SECRET_KEY), so a digest taken today matches after a restore on
    another host or a rotation of the other secrets."""
    key = (settings.NIK_HASH_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; blank stays blank (nothing to hide)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value or ""
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(str(value))


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as its ISO text."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return date.fromisoformat(text) if text else None

    def to_python(self, value):
        if value in (None, "") or isinstance(value, date):
            return value or None
        try:
            return date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(_("Tanggal harus berformat YYYY-MM-DD."), code="invalid") from exc

    def get_prep_value(self, value):
        value = self.to_python(value)
        return encrypt(value.isoformat()) if value else ""

    def formfield(self, **kwargs):
        return forms.DateField(required=not self.blank, label=capfirst(self.verbose_name), **kwargs)
