"""Code lists about victims (domain.md). Stable uppercase codes, Indonesian labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")
    TIDAK_DIKETAHUI = "TIDAK_DIKETAHUI", _("Tidak diketahui")


class VictimStatus(models.TextChoices):
    DIDUGA = "DIDUGA", _("Diduga korban")
    TERIDENTIFIKASI = "TERIDENTIFIKASI", _("Teridentifikasi")
    BUKAN_KORBAN = "BUKAN_KORBAN", _("Bukan korban")


class Education(models.TextChoices):
    TIDAK_SEKOLAH = "TIDAK_SEKOLAH", _("Tidak/belum sekolah")
    SD = "SD", _("SD/sederajat")
    SMP = "SMP", _("SMP/sederajat")
    SMA = "SMA", _("SMA/SMK/sederajat")
    DIPLOMA = "DIPLOMA", _("Diploma")
    SARJANA = "SARJANA", _("Sarjana atau lebih")
    TIDAK_DIKETAHUI = "TIDAK_DIKETAHUI", _("Tidak diketahui")


class ServiceType(models.TextChoices):
    PENGADUAN = "PENGADUAN", _("Pengaduan")
    PENJANGKAUAN = "PENJANGKAUAN", _("Penjangkauan")
    ASESMEN = "ASESMEN", _("Asesmen")
    PENGELOLAAN_KASUS = "PENGELOLAAN_KASUS", _("Pengelolaan kasus")
    RUMAH_AMAN = "RUMAH_AMAN", _("Rumah aman")
    PERTOLONGAN_PERTAMA = "PERTOLONGAN_PERTAMA", _("Pertolongan pertama")
    REHAB_KESEHATAN = "REHAB_KESEHATAN", _("Rehabilitasi kesehatan")
    VISUM = "VISUM", _("Visum")
    PSIKOLOGIS = "PSIKOLOGIS", _("Layanan psikologis")
    REHAB_SOSIAL = "REHAB_SOSIAL", _("Rehabilitasi sosial")
    PENDAMPINGAN_HUKUM = "PENDAMPINGAN_HUKUM", _("Pendampingan hukum")
    PENDAMPINGAN_RESTITUSI = "PENDAMPINGAN_RESTITUSI", _("Pendampingan restitusi")
    PERLINDUNGAN_LPSK = "PERLINDUNGAN_LPSK", _("Perlindungan LPSK")
    PEMULANGAN = "PEMULANGAN", _("Pemulangan")
    REPATRIASI = "REPATRIASI", _("Repatriasi")
    REINTEGRASI = "REINTEGRASI", _("Reintegrasi")
    PEMBERDAYAAN_EKONOMI = "PEMBERDAYAAN_EKONOMI", _("Pemberdayaan ekonomi")
    PENDIDIKAN_VOKASI = "PENDIDIKAN_VOKASI", _("Pendidikan/vokasi")
    DOKUMEN_KEPENDUDUKAN = "DOKUMEN_KEPENDUDUKAN", _("Dokumen kependudukan")
    PENERJEMAH = "PENERJEMAH", _("Penerjemah")


class ServiceStatus(models.TextChoices):
    DIRUJUK = "DIRUJUK", _("Dirujuk")
    DITERIMA = "DITERIMA", _("Diterima")
    DITOLAK = "DITOLAK", _("Ditolak")
    BERJALAN = "BERJALAN", _("Berjalan")
    SELESAI = "SELESAI", _("Selesai")
    DIBATALKAN = "DIBATALKAN", _("Dibatalkan")


class ConsentBasis(models.TextChoices):
    PERSETUJUAN = "PERSETUJUAN", _("Persetujuan")
    KEWAJIBAN_HUKUM = "KEWAJIBAN_HUKUM", _("Kewajiban hukum")
    KEPENTINGAN_VITAL = "KEPENTINGAN_VITAL", _("Kepentingan vital")
    TUGAS_PUBLIK = "TUGAS_PUBLIK", _("Tugas publik")


class ConsentGiver(models.TextChoices):
    KORBAN = "KORBAN", _("Korban")
    ORANG_TUA_WALI = "ORANG_TUA_WALI", _("Orang tua/wali")
    PENDAMPING = "PENDAMPING", _("Pendamping")


class ConsentScope(models.TextChoices):
    LAYANAN = "LAYANAN", _("Layanan")
    BERBAGI_DATA = "BERBAGI_DATA", _("Berbagi data")


AGE_BANDS = [(0, 5), (6, 12), (13, 17), (18, 24), (25, 44), (45, 59), (60, None)]


def age_band(age: int | None) -> str:
    if age is None:
        return "TIDAK_DIKETAHUI"
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}-{high}" if high is not None else f"{low}+"
    return "TIDAK_DIKETAHUI"


class DuplicateKind(models.TextChoices):
    """What kind of record a duplicate candidate pairs (#16 adds perpetrators and cases)."""

    KORBAN = "KORBAN", _("Korban")


class DuplicateReason(models.TextChoices):
    NIK_SAMA = "NIK_SAMA", _("NIK sama")


class DuplicateStatus(models.TextChoices):
    TERBUKA = "TERBUKA", _("Terbuka")
    DIGABUNG = "DIGABUNG", _("Digabung")
    BUKAN_DUPLIKAT = "BUKAN_DUPLIKAT", _("Bukan duplikat")
