"""Code lists about cases and perpetrators (domain.md), and the stage chain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PENGADUAN = "PENGADUAN", _("Pengaduan")
    LAPORAN_POLISI = "LAPORAN_POLISI", _("Laporan polisi")
    PENYELIDIKAN = "PENYELIDIKAN", _("Penyelidikan")
    PENYIDIKAN = "PENYIDIKAN", _("Penyidikan")
    P19 = "P19", _("P-19 (berkas dikembalikan)")
    P21 = "P21", _("P-21 (berkas lengkap)")
    TAHAP_II = "TAHAP_II", _("Tahap II")
    PENUNTUTAN = "PENUNTUTAN", _("Penuntutan")
    PERSIDANGAN = "PERSIDANGAN", _("Persidangan")
    PUTUSAN = "PUTUSAN", _("Putusan")
    UPAYA_HUKUM = "UPAYA_HUKUM", _("Upaya hukum")
    INKRACHT = "INKRACHT", _("Berkekuatan hukum tetap")
    EKSEKUSI = "EKSEKUSI", _("Eksekusi")
    LIDIK_DIHENTIKAN = "LIDIK_DIHENTIKAN", _("Penyelidikan dihentikan")
    SP3 = "SP3", _("SP3 (penyidikan dihentikan)")
    PENUNTUTAN_DIHENTIKAN = "PENUNTUTAN_DIHENTIKAN", _("Penuntutan dihentikan")
    DIALIHKAN_NON_PIDANA = "DIALIHKAN_NON_PIDANA", _("Dialihkan di luar pidana")


S = Stage
INITIAL_STAGES = (S.PENGADUAN, S.LAPORAN_POLISI)
# The domain's chain: each stage and the stages that may follow it.
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    S.PENGADUAN: (S.LAPORAN_POLISI, S.PENYELIDIKAN, S.LIDIK_DIHENTIKAN, S.DIALIHKAN_NON_PIDANA),
    S.LAPORAN_POLISI: (S.PENYELIDIKAN, S.PENYIDIKAN, S.LIDIK_DIHENTIKAN, S.DIALIHKAN_NON_PIDANA),
    S.PENYELIDIKAN: (S.PENYIDIKAN, S.LIDIK_DIHENTIKAN, S.DIALIHKAN_NON_PIDANA),
    S.PENYIDIKAN: (S.P19, S.P21, S.SP3, S.DIALIHKAN_NON_PIDANA),
    S.P19: (S.P19, S.P21, S.SP3),  # the file may go back and forth
    S.P21: (S.TAHAP_II,),
    S.TAHAP_II: (S.PENUNTUTAN, S.PENUNTUTAN_DIHENTIKAN),
    S.PENUNTUTAN: (S.PERSIDANGAN, S.PENUNTUTAN_DIHENTIKAN),
    S.PERSIDANGAN: (S.PUTUSAN,),
    S.PUTUSAN: (S.UPAYA_HUKUM, S.INKRACHT),
    S.UPAYA_HUKUM: (S.UPAYA_HUKUM, S.INKRACHT),  # appeal, then cassation, then review
    S.INKRACHT: (S.EKSEKUSI,),
    S.EKSEKUSI: (),
}
# A stopped case reopens at the stage it was stopped from, only by the province, with a reason.
REOPEN_STAGES: dict[str, tuple[str, ...]] = {
    S.LIDIK_DIHENTIKAN: (S.PENYELIDIKAN,),
    S.SP3: (S.PENYIDIKAN,),
    S.PENUNTUTAN_DIHENTIKAN: (S.PENUNTUTAN,),
    S.DIALIHKAN_NON_PIDANA: (S.LAPORAN_POLISI, S.PENYELIDIKAN),
}
STOPPED_STAGES = tuple(REOPEN_STAGES)
# Stages a case passes through, in funnel order (used to tell "reached" in summaries).
FUNNEL = (
    S.PENGADUAN,
    S.LAPORAN_POLISI,
    S.PENYELIDIKAN,
    S.PENYIDIKAN,
    S.P21,
    S.TAHAP_II,
    S.PENUNTUTAN,
    S.PERSIDANGAN,
    S.PUTUSAN,
    S.INKRACHT,
    S.EKSEKUSI,
)


def allowed_next_stages(current: str | None, *, may_reopen: bool = False) -> tuple[str, ...]:
    if not current:
        return INITIAL_STAGES
    if current in REOPEN_STAGES:
        return REOPEN_STAGES[current] if may_reopen else ()
    return NEXT_STAGES.get(current, ())


class CaseStatus(models.TextChoices):
    AKTIF = "AKTIF", _("Aktif")
    TINDAK_LANJUT = "TINDAK_LANJUT", _("Tindak lanjut")
    DITUTUP = "DITUTUP", _("Ditutup")
    DITUTUP_DIRUJUK = "DITUTUP_DIRUJUK", _("Ditutup, dirujuk")


# Facts of the domain, defined once: the dashboard, the summaries and the lists use these.
# A case is open while it is active or followed up.
OPEN_STATUSES = (CaseStatus.AKTIF, CaseStatus.TINDAK_LANJUT)
# An open case is stale when no stage has been recorded for this many days (not when its row
# was last saved: a typo fixed is no progress of the case).
STALE_AFTER_DAYS = 90
# First aid is due within this many days of the report (UU 21/2007 art. 52).
FIRST_AID_DUE_DAYS = 7


class ExploitationType(models.TextChoices):
    SEKS_PROSTITUSI = "SEKS_PROSTITUSI", _("Eksploitasi seksual/prostitusi")
    SEKS_ONLINE = "SEKS_ONLINE", _("Eksploitasi seksual daring")
    PORNOGRAFI = "PORNOGRAFI", _("Pornografi")
    KERJA_PAKSA = "KERJA_PAKSA", _("Kerja paksa")
    PEKERJA_ANAK = "PEKERJA_ANAK", _("Pekerja anak")
    PERBUDAKAN = "PERBUDAKAN", _("Perbudakan")
    PERKAWINAN_PAKSA = "PERKAWINAN_PAKSA", _("Perkawinan paksa")
    KRIMINALITAS_PAKSA = "KRIMINALITAS_PAKSA", _("Kriminalitas paksa")
    MENGEMIS_PAKSA = "MENGEMIS_PAKSA", _("Mengemis paksa")
    ADOPSI_ILEGAL = "ADOPSI_ILEGAL", _("Adopsi ilegal")
    PENGAMBILAN_ORGAN = "PENGAMBILAN_ORGAN", _("Pengambilan organ")
    LAINNYA = "LAINNYA", _("Lainnya")


class LabourSector(models.TextChoices):
    PERKEBUNAN = "PERKEBUNAN", _("Perkebunan")
    PERIKANAN_ABK = "PERIKANAN_ABK", _("Perikanan/ABK kapal")
    PERTAMBANGAN = "PERTAMBANGAN", _("Pertambangan")
    KONSTRUKSI = "KONSTRUKSI", _("Konstruksi")
    RUMAH_TANGGA = "RUMAH_TANGGA", _("Pekerja rumah tangga")
    HIBURAN_MALAM = "HIBURAN_MALAM", _("Hiburan malam")
    MANUFAKTUR = "MANUFAKTUR", _("Manufaktur")
    LAINNYA = "LAINNYA", _("Lainnya")


class RecruitmentModus(models.TextChoices):
    PMI_NONPROSEDURAL = "PMI_NONPROSEDURAL", _("PMI nonprosedural")
    LOWKER_PALSU_ONLINE = "LOWKER_PALSU_ONLINE", _("Lowongan kerja palsu daring")
    SCAM_ONLINE_LUAR_NEGERI = "SCAM_ONLINE_LUAR_NEGERI", _("Penipuan daring di luar negeri")
    PEMANDU_LAGU_TERAPIS = "PEMANDU_LAGU_TERAPIS", _("Pemandu lagu/terapis")
    PROSTITUSI_APLIKASI = "PROSTITUSI_APLIKASI", _("Prostitusi lewat aplikasi")
    PERKAWINAN_KONTRAK_PESANAN = "PERKAWINAN_KONTRAK_PESANAN", _("Perkawinan kontrak/pesanan")
    ABK_KAPAL_IKAN = "ABK_KAPAL_IKAN", _("ABK kapal ikan")
    ART_DOMESTIK = "ART_DOMESTIK", _("Asisten rumah tangga")
    MAGANG_PALSU = "MAGANG_PALSU", _("Magang palsu")
    VISA_KUNJUNGAN_UMROH = "VISA_KUNJUNGAN_UMROH", _("Visa kunjungan/umrah")
    JERATAN_UTANG = "JERATAN_UTANG", _("Jeratan utang")
    PACARAN_GROOMING = "PACARAN_GROOMING", _("Pacaran/grooming")
    PENCULIKAN = "PENCULIKAN", _("Penculikan")
    ADOPSI = "ADOPSI", _("Adopsi")
    LAINNYA = "LAINNYA", _("Lainnya")


class RecruitmentChannel(models.TextChoices):
    LANGSUNG = "LANGSUNG", _("Langsung")
    FACEBOOK = "FACEBOOK", "Facebook"
    INSTAGRAM = "INSTAGRAM", "Instagram"
    WHATSAPP = "WHATSAPP", "WhatsApp"
    TELEGRAM = "TELEGRAM", "Telegram"
    TIKTOK = "TIKTOK", "TikTok"
    MICHAT = "MICHAT", "MiChat"
    X_TWITTER = "X_TWITTER", "X/Twitter"
    SITUS_LOWONGAN = "SITUS_LOWONGAN", _("Situs lowongan kerja")
    LAINNYA = "LAINNYA", _("Lainnya")


class MeansOfControl(models.TextChoices):
    ANCAMAN_KEKERASAN = "ANCAMAN_KEKERASAN", _("Ancaman kekerasan")
    ANCAMAN_APARAT = "ANCAMAN_APARAT", _("Ancaman dilaporkan ke aparat")
    ANCAMAN_KELUARGA = "ANCAMAN_KELUARGA", _("Ancaman terhadap keluarga")
    JERATAN_UTANG = "JERATAN_UTANG", _("Jeratan utang")
    JANJI_PALSU = "JANJI_PALSU", _("Janji palsu")
    KEKERASAN_FISIK = "KEKERASAN_FISIK", _("Kekerasan fisik")
    KEKERASAN_SEKSUAL = "KEKERASAN_SEKSUAL", _("Kekerasan seksual")
    KEKERASAN_PSIKIS = "KEKERASAN_PSIKIS", _("Kekerasan psikis")
    GAJI_DITAHAN = "GAJI_DITAHAN", _("Gaji ditahan")
    DOKUMEN_DITAHAN = "DOKUMEN_DITAHAN", _("Dokumen ditahan")
    PEMBATASAN_GERAK = "PEMBATASAN_GERAK", _("Pembatasan gerak")
    KEBUTUHAN_DASAR_DITAHAN = "KEBUTUHAN_DASAR_DITAHAN", _("Kebutuhan dasar ditahan")
    NARKOBA_ALKOHOL = "NARKOBA_ALKOHOL", _("Narkoba/alkohol")
    JAM_KERJA_BERLEBIH = "JAM_KERJA_BERLEBIH", _("Jam kerja berlebih")
    LAINNYA = "LAINNYA", _("Lainnya")


class RecruiterRelation(models.TextChoices):
    PASANGAN_PACAR = "PASANGAN_PACAR", _("Pasangan/pacar")
    KELUARGA = "KELUARGA", _("Keluarga")
    TEMAN = "TEMAN", _("Teman")
    TETANGGA_KENALAN = "TETANGGA_KENALAN", _("Tetangga/kenalan")
    KENALAN_ONLINE = "KENALAN_ONLINE", _("Kenalan daring")
    CALO_SPONSOR = "CALO_SPONSOR", _("Calo/sponsor")
    AGEN_P3MI = "AGEN_P3MI", _("Agen P3MI")
    MAJIKAN = "MAJIKAN", _("Majikan")
    TIDAK_KENAL = "TIDAK_KENAL", _("Tidak kenal")
    TIDAK_DIKETAHUI = "TIDAK_DIKETAHUI", _("Tidak diketahui")


class JourneyKind(models.TextChoices):
    REKRUTMEN = "REKRUTMEN", _("Rekrutmen")
    TRANSIT = "TRANSIT", _("Transit")
    EKSPLOITASI = "EKSPLOITASI", _("Eksploitasi")


class PerpetratorKind(models.TextChoices):
    ORANG = "ORANG", _("Orang")
    KORPORASI = "KORPORASI", _("Korporasi")


class PerpetratorRole(models.TextChoices):
    PEREKRUT = "PEREKRUT", _("Perekrut")
    PENGANGKUT = "PENGANGKUT", _("Pengangkut")
    PENAMPUNG = "PENAMPUNG", _("Penampung")
    PENERIMA = "PENERIMA", _("Penerima")
    PENJUAL = "PENJUAL", _("Penjual")
    PEMBELI = "PEMBELI", _("Pembeli")
    MUCIKARI = "MUCIKARI", _("Mucikari")
    PEMILIK_USAHA = "PEMILIK_USAHA", _("Pemilik usaha")
    EKSPLOITER = "EKSPLOITER", _("Pengeksploitasi")
    CALO_SPONSOR = "CALO_SPONSOR", _("Calo/sponsor")
    AGEN_P3MI = "AGEN_P3MI", _("Agen P3MI")
    PEMALSU_DOKUMEN = "PEMALSU_DOKUMEN", _("Pemalsu dokumen")
    PENCULIK = "PENCULIK", _("Penculik")
    OKNUM_APARAT = "OKNUM_APARAT", _("Oknum aparat")
    LAINNYA = "LAINNYA", _("Lainnya")


class LegalStatus(models.TextChoices):
    DPO = "DPO", _("DPO (buron)")
    TERSANGKA = "TERSANGKA", _("Tersangka")
    TERDAKWA = "TERDAKWA", _("Terdakwa")
    TERPIDANA = "TERPIDANA", _("Terpidana")
    BEBAS = "BEBAS", _("Bebas")
    LEPAS = "LEPAS", _("Lepas")
    DIHENTIKAN = "DIHENTIKAN", _("Dihentikan")


class Verdict(models.TextChoices):
    DIPIDANA = "DIPIDANA", _("Dipidana")
    BEBAS = "BEBAS", _("Bebas")
    LEPAS = "LEPAS", _("Lepas")


class CodeField(models.TextChoices):
    """The multi-valued code lists of a case, stored one row per value (CaseCode)."""

    EXPLOITATION = "EXPLOITATION", _("Jenis eksploitasi")
    MODUS = "MODUS", _("Modus perekrutan")
    CHANNEL = "CHANNEL", _("Saluran perekrutan")
    CONTROL = "CONTROL", _("Sarana kontrol")


CODE_LISTS = {
    CodeField.EXPLOITATION: ExploitationType,
    CodeField.MODUS: RecruitmentModus,
    CodeField.CHANNEL: RecruitmentChannel,
    CodeField.CONTROL: MeansOfControl,
}
# Attribute names used by services, forms and the API for each multi-valued list.
CODE_ATTRS = {
    "exploitation_types": CodeField.EXPLOITATION,
    "recruitment_modus": CodeField.MODUS,
    "recruitment_channels": CodeField.CHANNEL,
    "means_of_control": CodeField.CONTROL,
}
