"""A realistic synthetic data set for demos and benchmarks: never real people.

Deterministic for a given seed, and fast: rows are built in memory and written with bulk
inserts in chunks, so 100,000 cases take minutes. The scenarios follow what the task force
sees in Kalsel: irregular migrant work to Malaysia, karaoke-bar exploitation of girls,
fishing crews, online-scam compounds abroad, prostitution arranged through apps. Some
perpetrators (syndicates) recur across cases and regencies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from agencies.models import Agency, Regency, User
from cases.codes import NEXT_STAGES, CodeField, Stage
from cases.models import (
    Case,
    CaseAgency,
    CaseCode,
    CaseVictim,
    Involvement,
    InvolvementRole,
    JourneyEvent,
    Perpetrator,
    StageEvent,
)
from core.crypto import nik_hash
from core.models import Counter
from victims.models import Consent, Victim, VictimIdentity, VictimService

DEMO_REF_PREFIX = "DEMO-"


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


def _stage_path(end: str, rng: random.Random) -> list[str]:
    if end in STOP_AFTER:
        before = STOP_AFTER[end]
        return PATH[: PATH.index(before) + 1] + [end]
    path = PATH[: PATH.index(end) + 1]
    if Stage.P19 in path and rng.random() < 0.6:
        path.remove(Stage.P19)  # most files are complete the first time
    start = 0 if rng.random() < 0.5 else 1  # half start at the police report
    path = path[start:] or [Stage.LAPORAN_POLISI]
    for a, b in zip(path, path[1:], strict=False):
        assert b in NEXT_STAGES[a], (a, b)
    return path


def _status_for(stage: str) -> str:
    if stage in (Stage.EKSEKUSI, Stage.SP3, Stage.LIDIK_DIHENTIKAN, Stage.DIALIHKAN_NON_PIDANA):
        return "DITUTUP"
    if stage == Stage.INKRACHT:
        return "TINDAK_LANJUT"
    return "AKTIF"


class DemoGenerator:
    def __init__(self, *, seed: int, years: int = 4, today: date | None = None):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.today = today or timezone.localdate()
        self.start = date(self.today.year - years + 1, 1, 1)
        self.regencies = {r.pk: r for r in Regency.objects.all()}
        agencies = list(Agency.objects.select_related("regency"))
        self.units = {a.regency_id: a for a in agencies if a.kind == "UNIT_PPA"}
        self.dp3a = {a.regency_id: a for a in agencies if a.kind == "DP3A" and a.regency_id}
        self.by_name = {a.name: a for a in agencies}
        self.user = (
            User.objects.filter(username="admin").first()
            or User.objects.filter(is_superuser=True).first()
        )
        self.nik_seen: set[str] = set()
        self.syndicate: list[Perpetrator] = []

    # --- small helpers -------------------------------------------------------------------
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    def nik(self, regency: str, birth: date, sex: str) -> str:
        while True:
            day = birth.day + (40 if sex == "P" else 0)
            value = f"{regency}{self.rng.randint(1, 20):02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.rng.randint(1, 9999):04d}"
            if value not in self.nik_seen:
                self.nik_seen.add(value)
                return value

    def date_between(self, low: date, high: date) -> date:
        if high <= low:
            return low
        return low + timedelta(days=self.rng.randint(0, (high - low).days))

    # --- the data set --------------------------------------------------------------------
    def skeleton(self, n: int) -> list[tuple[date, str]]:
        regencies = list(REGENCY_WEIGHTS)
        weights = [REGENCY_WEIGHTS[r] for r in regencies]
        rows = [
            (self.date_between(self.start, self.today), self.rng.choices(regencies, weights)[0])
            for _ in range(n)
        ]
        rows.sort()
        return rows

    def ensure_syndicate(self, size: int = 40) -> None:
        people = [
            Perpetrator(
                kind="ORANG",
                name=self.fake.name(),
                sex=self.pick(["L", "L", "P"]),
                nationality=self.pick(["IDN", "IDN", "IDN", "MYS"]),
                birth_year=self.rng.randint(1965, 2000),
                note="Diduga bagian dari jaringan lintas kabupaten.",
            )
            for _ in range(size)
        ]
        corps = [
            Perpetrator(
                kind="KORPORASI",
                name=f"PT {self.fake.last_name()} {self.pick(['Jaya', 'Mandiri', 'Sejahtera', 'Abadi'])} Utama",
                nationality="IDN",
                note="Perusahaan penempatan tidak berizin.",
            )
            for _ in range(size // 8)
        ]
        self.syndicate = Perpetrator.objects.bulk_create(people + corps)

    @transaction.atomic
    def write_chunk(self, rows: list[tuple[date, str]], numbers: list[int], ref_start: int) -> None:
        rng = self.rng
        cases, plans = [], []
        for i, ((reported, regency), seq) in enumerate(zip(rows, numbers, strict=True)):
            sc = rng.choices(SCENARIOS, weights=[s.weight for s in SCENARIOS])[0]
            end = self.weighted(END_STAGES)
            path = _stage_path(end, rng)
            country = self.pick(sc.countries) if sc.countries else ""
            reporter = self.units[regency]
            if regency == "6303" and rng.random() < 0.15:
                reporter = self.units["6372"]  # Polres Banjarbaru covers part of Banjar
            occurred_from = reported - timedelta(days=rng.randint(5, 200))
            case = Case(
                register_no=f"TPPO-{regency}-{reported.year}-{seq:04d}",
                regency=self.regencies[regency],
                reporting_agency=reporter,
                external_ref=f"{DEMO_REF_PREFIX}{ref_start + i:07d}",
                police_report_no=(
                    f"LP/B/{rng.randint(1, 999)}/{reported:%m}/{reported.year}/SPKT/{reporter.parent.name.replace(' ', '-').upper()}"
                    if path[0] != Stage.PENGADUAN or len(path) > 1
                    else ""
                ),
                reported_on=reported,
                occurred_from=occurred_from,
                occurred_to=occurred_from
                + timedelta(days=rng.randint(0, (reported - occurred_from).days)),
                summary=sc.summary,
                labour_sector=sc.sector,
                recruiter_relation=self.pick(
                    [
                        "TEMAN",
                        "TETANGGA_KENALAN",
                        "KENALAN_ONLINE",
                        "CALO_SPONSOR",
                        "PASANGAN_PACAR",
                        "KELUARGA",
                        "TIDAK_DIKETAHUI",
                    ]
                ),
                transnational=bool(country) if sc.countries else False,
                destination_country=country,
                complicity=rng.random() < 0.03,
                stage=path[-1],
                created_by=self.user,
                updated_by=self.user,
            )
            cases.append(case)
            plans.append((sc, path))
        Case.objects.bulk_create(cases)

        codes, stages, journey, links, handling = [], [], [], [], []
        victims, identities, services, consents = [], [], [], []
        involvements, roles_plan = [], []
        victim_case = []
        verdict_dates: dict[int, date] = {}
        for case, (sc, path) in zip(cases, plans, strict=True):
            for field, values in (
                (CodeField.EXPLOITATION, sc.exploitation),
                (CodeField.MODUS, sc.modus),
            ):
                codes += [CaseCode(case=case, field=field, code=c) for c in values]
            codes += [
                CaseCode(case=case, field=CodeField.CHANNEL, code=c)
                for c in rng.sample(sc.channels, k=rng.randint(1, len(sc.channels)))
            ]
            codes += [
                CaseCode(case=case, field=CodeField.CONTROL, code=c)
                for c in rng.sample(sc.control, k=rng.randint(1, len(sc.control)))
            ]
            when = case.reported_on
            for stage in path:
                stages.append(
                    StageEvent(
                        case=case,
                        stage=stage,
                        occurred_on=when,
                        document_no=case.police_report_no if stage == Stage.LAPORAN_POLISI else "",
                        recorded_by=self.user,
                    )
                )
                if stage == Stage.PUTUSAN:
                    verdict_dates[case.pk] = when
                nxt = when + timedelta(days=rng.randint(7, 75))
                if nxt > self.today:
                    # Not reached yet: the case stands at the last stage that fits.
                    case.stage = stage
                    break
                when = nxt
            case.status = _status_for(case.stage)
            journey.append(
                JourneyEvent(
                    case=case,
                    kind="REKRUTMEN",
                    regency=case.regency,
                    place=case.regency.name,
                    occurred_on=case.occurred_from,
                )
            )
            if case.destination_country:
                journey.append(
                    JourneyEvent(
                        case=case,
                        kind="TRANSIT",
                        country="IDN",
                        place=self.pick(["Nunukan", "Batam", "Tanjung Pinang", "Jakarta"]),
                        occurred_on=case.occurred_from,
                    )
                )
                journey.append(
                    JourneyEvent(
                        case=case,
                        kind="EKSPLOITASI",
                        country=case.destination_country,
                        occurred_on=case.occurred_to,
                    )
                )
            else:
                journey.append(
                    JourneyEvent(
                        case=case,
                        kind="EKSPLOITASI",
                        regency=case.regency,
                        place=case.regency.name,
                        occurred_on=case.occurred_to,
                    )
                )

            for _ in range(rng.randint(*sc.victims)):
                sex = self.pick(sc.sexes)
                age = rng.randint(*sc.ages)
                birth = case.reported_on - timedelta(days=age * 365 + rng.randint(0, 364))
                home = case.regency_id if rng.random() < 0.7 else self.pick(list(REGENCY_WEIGHTS))
                victim = Victim(
                    code="",
                    sex=sex,
                    age_at_identification=age,
                    age_at_exploitation=max(age - rng.randint(0, 1), 0),
                    nationality="IDN",
                    home_regency=self.regencies[home],
                    education=self.pick(["SD", "SMP", "SMP", "SMA", "TIDAK_DIKETAHUI"]),
                    occupation=self.pick(["Pelajar", "Tidak bekerja", "Buruh", "Pedagang", ""]),
                    disability=rng.random() < 0.03 if rng.random() < 0.6 else None,
                    status=self.weighted([("TERIDENTIFIKASI", 8), ("DIDUGA", 2)]),
                    identifying_agency=case.reporting_agency,
                    identified_on=case.reported_on,
                )
                victims.append(victim)
                victim_case.append((victim, case, birth, home))

        self._number_victims(victims)
        Victim.objects.bulk_create(victims)
        uptd = self.by_name["UPTD PPA Provinsi Kalimantan Selatan"]
        bp3mi = self.by_name["BP3MI Kalimantan Selatan"]
        dinsos = self.by_name["Dinas Sosial Provinsi Kalimantan Selatan"]
        for victim, case, birth, home in victim_case:
            links.append(CaseVictim(case=case, victim=victim))
            name = self.fake.name_female() if victim.sex == "P" else self.fake.name_male()
            nik = self.nik(home, birth, victim.sex)
            identities.append(
                VictimIdentity(
                    victim=victim,
                    full_name=name,
                    nik=nik,
                    birth_date=birth,
                    phone=f"08{rng.randint(11, 59)}{rng.randint(10000000, 99999999)}",
                    address=f"{self.fake.street_address()}, {self.regencies[home].name}",
                    guardian=self.fake.name() if (victim.age_at_exploitation < 18) else "",
                    nik_hash=nik_hash(nik),
                )
            )
            consents.append(
                Consent(
                    victim=victim,
                    basis="PERSETUJUAN",
                    given_by="ORANG_TUA_WALI" if (victim.age_at_exploitation < 18) else "KORBAN",
                    scope="LAYANAN",
                    given_on=case.reported_on,
                    recorded_by=self.user,
                )
            )
            # First aid is due within 7 days of the report (art. 52); most get it in time.
            delay = rng.choice([0, 1, 2, 3, 5, 6, 9, 14])
            first_aid = min(case.reported_on + timedelta(days=delay), self.today)
            services.append(
                VictimService(
                    victim=victim,
                    case=case,
                    type="PERTOLONGAN_PERTAMA",
                    provider_agency=self.dp3a[case.regency_id],
                    status="SELESAI",
                    started_on=first_aid,
                    completed_on=first_aid,
                    created_by=self.user,
                )
            )
            referral_to = bp3mi if case.destination_country else self.pick([uptd, dinsos])
            referred = min(case.reported_on + timedelta(days=rng.randint(1, 20)), self.today)
            state = self.weighted([("SELESAI", 5), ("BERJALAN", 3), ("DIRUJUK", 2), ("DITOLAK", 1)])
            svc = VictimService(
                victim=victim,
                case=case,
                type=self.pick(["REHAB_SOSIAL", "PSIKOLOGIS", "PENDAMPINGAN_HUKUM", "RUMAH_AMAN"])
                if not case.destination_country
                else self.pick(["REPATRIASI", "PEMULANGAN"]),
                provider_agency=referral_to,
                referring_agency=case.reporting_agency,
                status=state,
                referred_on=referred,
                created_by=self.user,
            )
            if state in ("SELESAI", "BERJALAN"):
                svc.accepted_on = svc.started_on = min(
                    referred + timedelta(days=rng.randint(0, 5)), self.today
                )
            if state == "SELESAI":
                svc.completed_on = min(
                    svc.started_on + timedelta(days=rng.randint(3, 60)), self.today
                )
            if state == "DITOLAK":
                svc.rejected_on = min(referred + timedelta(days=2), self.today)
                svc.rejection_reason = "Kapasitas rumah aman penuh; dirujuk ke lembaga lain."
            services.append(svc)
            handling.append(CaseAgency(case=case, agency=referral_to))

        new_people: list[Perpetrator] = []
        for case, (sc, path) in zip(cases, plans, strict=True):
            count = rng.randint(1, 3)
            chosen = []
            if self.syndicate and rng.random() < 0.15:
                chosen.append(self.pick(self.syndicate))
            while len(chosen) < count:
                chosen.append(
                    Perpetrator(
                        kind="ORANG",
                        name=self.fake.name(),
                        sex=self.pick(["L", "L", "P"]),
                        nationality="IDN",
                        birth_year=rng.randint(1960, 2003),
                    )
                )
            new_people += [p for p in chosen if p.pk is None]
            reached = set(path[: path.index(case.stage) + 1])
            for p in chosen:
                inv = Involvement(case=case, perpetrator=p, legal_status="TERSANGKA")
                if Stage.PUTUSAN in reached:
                    verdict = self.weighted([("DIPIDANA", 9), ("BEBAS", 1)])
                    inv.verdict = verdict
                    inv.verdict_on = verdict_dates[case.pk]
                    inv.articles = "UU 21/2007 Pasal 2 ayat (1)"
                    if verdict == "DIPIDANA":
                        inv.legal_status = "TERPIDANA"
                        inv.sentence_months = rng.randint(36, 180)
                        inv.fine = rng.randint(120, 600) * 1_000_000
                        if rng.random() < 0.4:
                            inv.restitution_requested = rng.randint(10, 200) * 1_000_000
                            inv.restitution_awarded = (
                                inv.restitution_requested * rng.randint(3, 10) // 10
                            )
                            inv.restitution_paid = (
                                inv.restitution_awarded * rng.choice([0, 0, 5, 10]) // 10
                            )
                    else:
                        inv.legal_status = "BEBAS"
                elif Stage.PENUNTUTAN in reached:
                    inv.legal_status = "TERDAKWA"
                elif case.stage in (Stage.SP3, Stage.LIDIK_DIHENTIKAN, Stage.DIALIHKAN_NON_PIDANA):
                    inv.legal_status = "DIHENTIKAN"
                elif rng.random() < 0.1:
                    inv.legal_status = "DPO"
                involvements.append(inv)
                roles_plan.append(rng.sample(sc.roles, k=rng.randint(1, 2)))

        Perpetrator.objects.bulk_create(new_people)
        Case.objects.bulk_update(cases, ["stage", "status"])
        CaseCode.objects.bulk_create(codes)
        StageEvent.objects.bulk_create(stages)
        JourneyEvent.objects.bulk_create(journey)
        CaseVictim.objects.bulk_create(links)
        VictimIdentity.objects.bulk_create(identities)
        Consent.objects.bulk_create(consents)
        VictimService.objects.bulk_create(services)
        CaseAgency.objects.bulk_create(handling, ignore_conflicts=True)
        Involvement.objects.bulk_create(involvements)
        InvolvementRole.objects.bulk_create(
            [
                InvolvementRole(involvement=inv, code=c)
                for inv, codes_ in zip(involvements, roles_plan, strict=True)
                for c in codes_
            ]
        )

    def _number_victims(self, victims: list[Victim]) -> None:
        by_year: dict[int, list[Victim]] = {}
        for v in victims:
            by_year.setdefault(v.identified_on.year, []).append(v)
        for year, group in by_year.items():
            counter, _ = Counter.objects.get_or_create(key=f"KRB-{year}")
            for offset, v in enumerate(group, start=1):
                v.code = f"KRB-{year}-{counter.last + offset:05d}"
            counter.last += len(group)
            counter.save(update_fields=["last"])

    def run(self, n: int, chunk: int = 2000, progress=None) -> int:
        rows = self.skeleton(n)
        if not self.syndicate:
            self.ensure_syndicate()
        numbers = []
        counters: dict[str, int] = {}
        for reported, regency in rows:
            key = f"TPPO-{regency}-{reported.year}"
            if key not in counters:
                counters[key] = (
                    Counter.objects.filter(key=key).values_list("last", flat=True).first() or 0
                )
            counters[key] += 1
            numbers.append(counters[key])
        ref_start = Case.objects.filter(external_ref__startswith=DEMO_REF_PREFIX).count()
        for start in range(0, n, chunk):
            self.write_chunk(
                rows[start : start + chunk], numbers[start : start + chunk], ref_start + start
            )
            if progress:
                progress(min(start + chunk, n), n)
        with transaction.atomic():
            for key, last in counters.items():
                Counter.objects.update_or_create(key=key, defaults={"last": last})
        return n


def demo_cases_seed(*, cases: int, seed: int = 2026, progress=None) -> int:
    return DemoGenerator(seed=seed).run(cases, progress=progress)
