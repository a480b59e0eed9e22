from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token  # abstract: authtoken is not installed


class Regency(models.Model):
    """A regency (kabupaten) or city (kota); its BPS code is its key."""

    class Kind(models.TextChoices):
        KABUPATEN = "KABUPATEN", _("Kabupaten")
        KOTA = "KOTA", _("Kota")

    code = models.CharField(_("kode"), max_length=4, primary_key=True)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        if self.kind == self.Kind.KOTA:
            return _("Kota %(name)s") % {"name": self.name}
        return _("Kab. %(name)s") % {"name": self.name}


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLDA = "POLDA", _("Polda")
        POLRES = "POLRES", _("Polres/Polresta")
        UNIT_PPA = "UNIT_PPA", _("Unit PPA")
        KEJATI = "KEJATI", _("Kejaksaan Tinggi")
        KEJARI = "KEJARI", _("Kejaksaan Negeri")
        PENGADILAN = "PENGADILAN", _("Pengadilan")
        DP3A = "DP3A", _("Dinas PPPA")
        UPTD_PPA = "UPTD_PPA", _("UPTD PPA")
        DINSOS = "DINSOS", _("Dinas Sosial")
        DISNAKER = "DISNAKER", _("Dinas Tenaga Kerja")
        DINKES = "DINKES", _("Dinas Kesehatan")
        DISDIK = "DISDIK", _("Dinas Pendidikan")
        DISKOMINFO = "DISKOMINFO", _("Dinas Kominfo")
        IMIGRASI = "IMIGRASI", _("Imigrasi")
        BP3MI = "BP3MI", _("BP3MI")
        LPSK = "LPSK", _("LPSK")
        KEMENAG = "KEMENAG", _("Kementerian Agama")
        TNI = "TNI", _("TNI")
        LSM = "LSM", _("LSM")
        ORG_INTERNASIONAL = "ORG_INTERNASIONAL", _("Organisasi internasional")
        LBH = "LBH", _("Lembaga bantuan hukum")
        LAINNYA = "LAINNYA", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    regency = models.ForeignKey(
        Regency,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Kosong untuk instansi tingkat provinsi."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    email = models.EmailField(_("surel"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        indexes = [models.Index(fields=["kind", "regency"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "ADMIN", _("Administrator")
    PROVINCE = "PROVINCE", _("Gugus tugas provinsi")
    REGENCY = "REGENCY", _("Gugus tugas kabupaten/kota")
    UNIT = "UNIT", _("Unit layanan")
    ANALYST = "ANALYST", _("Analis")


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.ANALYST)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def clean(self) -> None:
        super().clean()
        if self.agency_id is None and not self.is_superuser:
            raise ValidationError({"agency": _("Setiap pengguna harus memiliki instansi.")})
        if self.role == Role.REGENCY and self.agency_id and self.agency.regency_id is None:
            raise ValidationError(
                {"role": _("Peran kabupaten/kota memerlukan instansi di kabupaten/kota.")}
            )


class ApiToken(Token):
    """An API key for a unit's system (`Authorization: Token <key>`), DRF's token with an
    expiry and the time it was last used.

    Issued by `manage.py issue_token` (agencies/services.py::issue_token) to users whose role
    does not require the second factor; refused once expired, once its user or the user's
    agency is inactive, and deleted when the user's password changes or the user is
    deactivated (agencies/signals.py).
    """

    # Not the primary key (as in DRF): admin addresses and logs carry the id, never the key.
    key = models.CharField(_("kunci"), max_length=40, unique=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        # Never the key (DRF's token shows it): admin pages and logs name the token so.
        return _("token %(user)s") % {"user": self.user}

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
