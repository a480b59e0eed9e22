"""What the demo's cases are about: the scenarios the task force sees in Kalsel, where they
happen, and how far through the criminal-justice stages they get."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from cases.codes import NEXT_STAGES, Stage


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: int
    exploitation: tuple[str, ...]
    sector: str
    modus: tuple[str, ...]
    channels: tuple[str, ...]
    control: tuple[str, ...]
    countries: tuple[str, ...]  # empty: domestic
    sexes: tuple[str, ...]
    ages: tuple[int, int]
    victims: tuple[int, int]
    roles: tuple[str, ...]
    summary: str


SCENARIOS = [
    Scenario(
        "pmi",
        30,
        ("KERJA_PAKSA",),
        "PERKEBUNAN",
        ("PMI_NONPROSEDURAL", "JERATAN_UTANG"),
        ("LANGSUNG", "FACEBOOK", "WHATSAPP"),
        ("DOKUMEN_DITAHAN", "GAJI_DITAHAN", "JERATAN_UTANG"),
        ("MYS",),
        ("L", "L", "P"),
        (19, 45),
        (1, 4),
        ("CALO_SPONSOR", "PEREKRUT", "PENAMPUNG"),
        "Korban direkrut calo untuk bekerja di perkebunan sawit di Malaysia tanpa prosedur resmi; "
        "paspor ditahan dan gaji tidak dibayar.",
    ),
    Scenario(
        "art",
        12,
        ("KERJA_PAKSA",),
        "RUMAH_TANGGA",
        ("PMI_NONPROSEDURAL", "ART_DOMESTIK"),
        ("LANGSUNG", "WHATSAPP"),
        ("DOKUMEN_DITAHAN", "PEMBATASAN_GERAK", "JAM_KERJA_BERLEBIH"),
        ("MYS", "SAU"),
        ("P",),
        (19, 40),
        (1, 2),
        ("PEREKRUT", "AGEN_P3MI"),
        "Korban dijanjikan pekerjaan sebagai asisten rumah tangga di luar negeri, berangkat "
        "tanpa dokumen resmi dan dilarang keluar rumah majikan.",
    ),
    Scenario(
        "karaoke",
        25,
        ("SEKS_PROSTITUSI",),
        "HIBURAN_MALAM",
        ("PEMANDU_LAGU_TERAPIS",),
        ("MICHAT", "WHATSAPP", "INSTAGRAM"),
        ("JANJI_PALSU", "JERATAN_UTANG", "NARKOBA_ALKOHOL"),
        (),
        ("P",),
        (14, 21),
        (1, 3),
        ("PEREKRUT", "MUCIKARI", "PEMILIK_USAHA"),
        "Korban direkrut sebagai pemandu lagu di tempat karaoke dan dipaksa melayani tamu; "
        "utang biaya kos dan pakaian dijadikan alat penjerat.",
    ),
    Scenario(
        "aplikasi",
        15,
        ("SEKS_ONLINE", "SEKS_PROSTITUSI"),
        "",
        ("PROSTITUSI_APLIKASI", "PACARAN_GROOMING"),
        ("MICHAT", "TIKTOK", "INSTAGRAM"),
        ("KEKERASAN_PSIKIS", "JANJI_PALSU"),
        (),
        ("P",),
        (13, 19),
        (1, 2),
        ("MUCIKARI", "PEREKRUT"),
        "Korban dikenalkan melalui media sosial lalu dijajakan lewat aplikasi pesan; "
        "pelaku menerima pembayaran.",
    ),
    Scenario(
        "abk",
        8,
        ("KERJA_PAKSA",),
        "PERIKANAN_ABK",
        ("ABK_KAPAL_IKAN", "LOWKER_PALSU_ONLINE"),
        ("SITUS_LOWONGAN", "FACEBOOK"),
        ("GAJI_DITAHAN", "KEKERASAN_FISIK", "JAM_KERJA_BERLEBIH"),
        ("TWN", "ZAF", ""),
        ("L",),
        (18, 35),
        (2, 6),
        ("AGEN_P3MI", "PEREKRUT", "PENGANGKUT"),
        "Korban direkrut menjadi awak kapal ikan; bekerja lebih dari 18 jam sehari dan gaji "
        "ditahan oleh agen.",
    ),
    Scenario(
        "scam",
        10,
        ("KRIMINALITAS_PAKSA",),
        "",
        ("SCAM_ONLINE_LUAR_NEGERI", "LOWKER_PALSU_ONLINE"),
        ("TELEGRAM", "FACEBOOK", "INSTAGRAM"),
        ("DOKUMEN_DITAHAN", "PEMBATASAN_GERAK", "KEKERASAN_FISIK"),
        ("KHM", "MMR", "LAO"),
        ("L", "P"),
        (20, 35),
        (1, 5),
        ("PEREKRUT", "PENGANGKUT", "PENJUAL"),
        "Korban ditawari kerja sebagai operator daring di luar negeri, lalu dipaksa menjalankan "
        "penipuan daring di kompleks tertutup.",
    ),
]

REGENCY_WEIGHTS = {
    "6371": 22,
    "6372": 10,
    "6303": 11,
    "6310": 10,
    "6302": 9,
    "6301": 7,
    "6309": 6,
    "6304": 5,
    "6305": 4,
    "6306": 4,
    "6307": 4,
    "6308": 4,
    "6311": 4,
}

# How far cases get: the stage each one reaches, weighted (most stay early).
END_STAGES = [
    (Stage.PENGADUAN, 8),
    (Stage.LAPORAN_POLISI, 10),
    (Stage.PENYELIDIKAN, 14),
    (Stage.PENYIDIKAN, 16),
    (Stage.P19, 5),
    (Stage.P21, 5),
    (Stage.TAHAP_II, 4),
    (Stage.PENUNTUTAN, 4),
    (Stage.PERSIDANGAN, 6),
    (Stage.PUTUSAN, 8),
    (Stage.INKRACHT, 7),
    (Stage.EKSEKUSI, 4),
    (Stage.SP3, 3),
    (Stage.LIDIK_DIHENTIKAN, 3),
    (Stage.DIALIHKAN_NON_PIDANA, 3),
]
PATH = [
    Stage.PENGADUAN,
    Stage.LAPORAN_POLISI,
    Stage.PENYELIDIKAN,
    Stage.PENYIDIKAN,
    Stage.P19,
    Stage.P21,
    Stage.TAHAP_II,
    Stage.PENUNTUTAN,
    Stage.PERSIDANGAN,
    Stage.PUTUSAN,
    Stage.INKRACHT,
    Stage.EKSEKUSI,
]
STOP_AFTER = {
    Stage.SP3: Stage.PENYIDIKAN,
    Stage.LIDIK_DIHENTIKAN: Stage.PENYELIDIKAN,
    Stage.DIALIHKAN_NON_PIDANA: Stage.LAPORAN_POLISI,
}


def stage_path(end: str, rng: random.Random) -> list[str]:
    """The stages a case ending at `end` passes through, each allowed after the one before."""
    if end in STOP_AFTER:
        before = STOP_AFTER[end]
        return [*PATH[: PATH.index(before) + 1], end]
    path = PATH[: PATH.index(end) + 1]
    if Stage.P19 in path and rng.random() < 0.6:
        path.remove(Stage.P19)  # most files are complete the first time
    start = 0 if rng.random() < 0.5 else 1  # half start at the police report
    path = path[start:] or [Stage.LAPORAN_POLISI]
    for a, b in itertools.pairwise(path):
        assert b in NEXT_STAGES[a], (a, b)
    return path


def status_for(stage: str) -> str:
    """The case status a case standing at `stage` has."""
    if stage in (Stage.EKSEKUSI, Stage.SP3, Stage.LIDIK_DIHENTIKAN, Stage.DIALIHKAN_NON_PIDANA):
        return "DITUTUP"
    if stage == Stage.INKRACHT:
        return "TINDAK_LANJUT"
    return "AKTIF"
