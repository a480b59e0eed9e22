"""Every write about cases: submission, updates, the stage timeline, perpetrators.

Pages, API, admin actions and tasks all call these; the domain's rules live here and in
the models' `clean()`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Regency, User
from agencies.scoping import (
    assert_may_write,
    may_create_case_in,
    may_move_case,
    may_reopen_cases,
    may_write,
)
from core.crypto import keyed_digest
from core.limits import check_limits
from core.sequences import next_number
from core.versions import StaleVersion, locked_at_version, model_update
from victims.codes import Sex, VictimStatus
from victims.services import victim_create
from victims.validators import case_event_date, check_date

from .codes import (
    CODE_ATTRS,
    CODE_LISTS,
    INITIAL_STAGES,
    REOPEN_STAGES,
    JourneyKind,
    PerpetratorKind,
    PerpetratorRole,
    Stage,
    allowed_next_stages,
)
from .models import (
    Case,
    CaseCode,
    CaseVictim,
    Involvement,
    InvolvementRole,
    JourneyEvent,
    Perpetrator,
    StageEvent,
)

__all__ = ["StaleVersion"]  # the one version check (core.versions), raised by every update

# The one set of limits of case data, for every door (pages, API, admin): the forms and the
# serializers take theirs from here. Text in characters, lists in items per case.
LIMITS = {
    "external_ref": 100,
    "police_report_no": 100,
    "summary": 20_000,
    "simfoni_id": 50,
    "document_no": 100,
    "note": 5_000,
    "reason": 5_000,
    "articles": 300,
    "name": 200,
    "place": 200,
    "victims": 200,
    "perpetrators": 200,
    "journey": 50,
}


class ExternalRefTaken(ValidationError):
    """The submitting agency already used this external reference for another case."""

    def __init__(self):
        super().__init__(
            {"external_ref": _("Referensi ini sudah dipakai untuk kasus lain instansi Anda.")}
        )


class SubmissionConflict(Exception):
    """The external reference was used before, for a different submission."""

    def __init__(self, case: Case):
        super().__init__(case.pk)
        self.case = case


def _prefix(errors: dict, prefix: str) -> dict:
    return {f"{prefix}.{key}": value for key, value in errors.items()}


def _errors_of(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _clean_codes(values: dict[str, Iterable[str] | None]) -> dict[str, list[str]]:
    errors, cleaned = {}, {}
    for attr, codes in values.items():
        if codes is None:
            continue
        codes = list(dict.fromkeys(codes))  # drop repeats, keep order
        allowed = CODE_LISTS[CODE_ATTRS[attr]].values
        bad = [c for c in codes if c not in allowed]
        if bad:
            errors[attr] = _("Kode tidak dikenal: %(codes)s.") % {"codes": ", ".join(map(str, bad))}
        cleaned[attr] = codes
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_codes(case: Case, codes: dict[str, list[str]]) -> None:
    for attr, values in codes.items():
        field = CODE_ATTRS[attr]
        case.code_rows.filter(field=field).exclude(code__in=values).delete()
        CaseCode.objects.bulk_create(
            [CaseCode(case=case, field=field, code=c) for c in values], ignore_conflicts=True
        )


def submission_fingerprint(payload: dict) -> str:
    """A keyed fingerprint of a submission, to tell a retry from a different case. Keyed
    (it covers identities) with the blind-index key, which does not rotate with SECRET_KEY:
    a retry is still a retry after a restore elsewhere or a rotation of the other secrets."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return keyed_digest(canonical)


def _check_victim_means(victims: list[dict], means_of_control: list[str]) -> dict:
    """A child is a victim whatever the means; an adult is an identified victim only when
    the means used on them is recorded."""
    errors = {}
    for i, data in enumerate(victims):
        if data.get("status") != VictimStatus.TERIDENTIFIKASI or means_of_control:
            continue
        age = data.get("age_at_exploitation")
        if age is None:
            age = data.get("age_at_identification")
        if age is not None and age >= 18:
            errors[f"victims.{i}.status"] = _(
                "Korban dewasa hanya dapat berstatus teridentifikasi bila sarana yang "
                "digunakan pelaku (means_of_control) tercatat. Untuk anak tidak diperlukan."
            )
    return errors


def register_series(regency_code: str, year: int) -> str:
    """The numbering series of one regency's cases of one year (a `core.sequences` key)."""
    return f"TPPO-{regency_code}-{year}"


def register_number(regency_code: str, year: int, seq: int) -> str:
    """A case's register number: TPPO-<regency>-<year>-<seq, four digits>."""
    return f"{register_series(regency_code, year)}-{seq:04d}"


@transaction.atomic
def case_create(
    *,
    by: User,
    regency: Regency,
    reported_on: date,
    reporting_agency: Agency | None = None,
    external_ref: str = "",
    police_report_no: str = "",
    occurred_from: date | None = None,
    occurred_to: date | None = None,
    summary: str = "",
    labour_sector: str = "",
    recruiter_relation: str = "",
    transnational: bool | None = None,
    destination_country: str = "",
    complicity: bool | None = None,
    status: str = "AKTIF",
    stage: str = Stage.PENGADUAN,
    simfoni_id: str = "",
    exploitation_types: Iterable[str] = (),
    recruitment_modus: Iterable[str] = (),
    recruitment_channels: Iterable[str] = (),
    means_of_control: Iterable[str] = (),
    journey: Iterable[dict] = (),
    victims: Iterable[dict] = (),
    perpetrators: Iterable[dict] = (),
    submission_hash: str = "",
) -> Case:
    """Record a case with its victims and perpetrators, all or nothing."""
    if not may_write(by) or not may_create_case_in(by, regency.pk):
        raise PermissionDenied
    if stage not in INITIAL_STAGES:
        raise ValidationError(
            {"stage": _("Kasus baru dimulai pada tahap: %(s)s.") % {"s": ", ".join(INITIAL_STAGES)}}
        )
    codes = _clean_codes(
        {
            "exploitation_types": exploitation_types,
            "recruitment_modus": recruitment_modus,
            "recruitment_channels": recruitment_channels,
            "means_of_control": means_of_control,
        }
    )
    victims, perpetrators, journey = list(victims), list(perpetrators), list(journey)
    check_limits(
        {
            "external_ref": external_ref,
            "police_report_no": police_report_no,
            "summary": summary,
            "simfoni_id": simfoni_id,
            "victims": victims,
            "perpetrators": perpetrators,
            "journey": journey,
        },
        LIMITS,
    )
    errors = _check_victim_means(victims, codes["means_of_control"])

    case = Case(
        regency=regency,
        reporting_agency=reporting_agency or by.agency,
        external_ref=external_ref or "",
        police_report_no=police_report_no,
        reported_on=reported_on,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        summary=summary,
        labour_sector=labour_sector,
        recruiter_relation=recruiter_relation,
        transnational=transnational,
        destination_country=(destination_country or "").upper(),
        complicity=complicity,
        status=status,
        stage=stage,
        simfoni_id=simfoni_id,
        submission_hash=submission_hash,
        created_by=by,
        updated_by=by,
    )
    year = reported_on.year if isinstance(reported_on, date) else timezone.localdate().year
    case.register_no = "pending"
    try:
        case.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update(_errors_of(exc))
    if errors:
        raise ValidationError(errors)

    taken = Case.objects.filter(
        reporting_agency=case.reporting_agency, external_ref=case.external_ref
    )
    if case.external_ref and taken.exists():
        raise ExternalRefTaken
    case.register_no = register_number(
        regency.pk, year, next_number(register_series(regency.pk, year))
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:  # the same reference committed meanwhile
        if case.external_ref and taken.exists():
            raise ExternalRefTaken from exc
        raise
    _write_codes(case, codes)
    StageEvent.objects.create(
        case=case,
        stage=stage,
        occurred_on=reported_on,
        document_no=police_report_no,
        recorded_by=by,
    )
    for i, event in enumerate(journey):
        _add_journey(case, event, prefix=f"journey.{i}")
    for i, data in enumerate(victims):
        try:
            case_add_victim(by=by, case=case, **data)
        except ValidationError as exc:
            raise ValidationError(_prefix(_errors_of(exc), f"victims.{i}")) from exc
    for i, data in enumerate(perpetrators):
        try:
            involvement_create(by=by, case=case, **data)
        except ValidationError as exc:
            raise ValidationError(_prefix(_errors_of(exc), f"perpetrators.{i}")) from exc
    return case


def _add_journey(case: Case, data: dict, prefix: str) -> JourneyEvent:
    check_limits({k: v for k, v in data.items() if k == "place"}, LIMITS, prefix=f"{prefix}.")
    event = JourneyEvent(case=case, **data)
    if event.kind not in JourneyKind.values:
        raise ValidationError({f"{prefix}.kind": _("Jenis peristiwa tidak dikenal.")})
    try:
        event.full_clean(exclude=["case"])
    except ValidationError as exc:
        raise ValidationError(_prefix(_errors_of(exc), prefix)) from exc
    event.save()
    return event


def case_submit(*, by: User, fingerprint: str, **data) -> tuple[Case, bool]:
    """Idempotent submission: a retry with the same `external_ref` returns the case it
    created before (created=False); a different payload under that reference conflicts.
    The database's unique constraint decides races, not a check before the insert."""
    ref = (data.get("external_ref") or "").strip()
    if not ref:
        # Without a reference a resend cannot be told from a new case: it would be stored twice.
        raise ValidationError(
            {"external_ref": _("Nomor rujukan (external_ref) wajib diisi untuk pengiriman kasus.")}
        )
    agency = data.get("reporting_agency") or by.agency

    def existing() -> Case | None:
        return (
            Case.objects.filter(reporting_agency=agency, external_ref=ref).first() if ref else None
        )

    def replay(case: Case) -> tuple[Case, bool]:
        if case.submission_hash != fingerprint:
            raise SubmissionConflict(case)
        return case, False

    if (found := existing()) is not None:
        return replay(found)
    try:
        with transaction.atomic():
            return case_create(by=by, submission_hash=fingerprint, **data), True
    except (IntegrityError, ExternalRefTaken):
        if (found := existing()) is None:
            raise
        return replay(found)


UPDATABLE = {
    "regency",
    "external_ref",
    "police_report_no",
    "reported_on",
    "occurred_from",
    "occurred_to",
    "summary",
    "labour_sector",
    "recruiter_relation",
    "transnational",
    "destination_country",
    "complicity",
    "status",
    "simfoni_id",
}


def _lock(case: Case, version: int | None) -> Case:
    return locked_at_version(Case, case.pk, version)


# The one guard for writes of case data (agencies.scoping.case_for_write): 404 out of
# scope, 403 for a role that only reads.
_check_write = assert_may_write


@transaction.atomic
def case_update(*, by: User, case: Case, version: int, **changes) -> Case:
    """Change a case, refusing a write based on a stale version (no lost updates)."""
    _check_write(by, case)
    case = _lock(case, version)
    code_changes = {k: changes.pop(k) for k in list(changes) if k in CODE_ATTRS}
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationError({k: _("Kolom ini tidak dapat diubah.") for k in sorted(unknown)})
    check_limits(changes, LIMITS)
    if "regency" in changes and changes["regency"].pk != case.regency_id:
        if not may_move_case(by):
            raise ValidationError(
                {
                    "regency": _(
                        "Memindahkan kasus ke kabupaten/kota lain adalah keputusan gugus tugas "
                        "provinsi."
                    )
                }
            )
    if case.external_ref and changes.get("external_ref", case.external_ref) != case.external_ref:
        # The unit's retries are matched on it: a changed reference would let a resend of the
        # original submission create a second case.
        raise ValidationError(
            {"external_ref": _("Nomor rujukan tidak dapat diubah setelah diisi.")}
        )
    if "destination_country" in changes:
        changes["destination_country"] = (changes["destination_country"] or "").upper()
    codes = _clean_codes(code_changes)
    try:
        with transaction.atomic():
            model_update(
                case,
                changes,
                allowed=UPDATABLE,
                also={"updated_by": by},
                clean={"validate_unique": False, "validate_constraints": False},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"external_ref": _("Referensi ini sudah dipakai untuk kasus lain instansi Anda.")}
        ) from exc
    _write_codes(case, codes)
    return case


@transaction.atomic
def case_record_stage(
    *,
    by: User,
    case: Case,
    stage: str,
    occurred_on: date,
    document_no: str = "",
    note: str = "",
    reason: str = "",
) -> StageEvent:
    """Append a stage to the case timeline; the case's current stage follows the timeline."""
    _check_write(by, case)
    check_limits({"document_no": document_no, "note": note, "reason": reason}, LIMITS)
    case = _lock(case, None)
    may_reopen = may_reopen_cases(by)
    allowed = allowed_next_stages(case.stage, may_reopen=may_reopen)
    if stage not in allowed:
        if case.stage in REOPEN_STAGES and not may_reopen:
            message = _(
                "Kasus yang dihentikan hanya dapat dibuka kembali oleh gugus tugas provinsi."
            )
        elif allowed:
            message = _(
                "Tahap %(s)s tidak dapat menyusul %(c)s. Tahap berikutnya yang mungkin: %(a)s."
            ) % {"s": stage, "c": case.stage, "a": ", ".join(allowed)}
        else:
            message = _("Tahap %(c)s adalah tahap akhir; tidak ada tahap berikutnya.") % {
                "c": case.stage
            }
        raise ValidationError({"stage": message})
    if case.stage in REOPEN_STAGES and not reason.strip():
        raise ValidationError({"reason": _("Alasan membuka kembali kasus wajib diisi.")})
    last = case.stage_events.order_by("-occurred_on", "-id").first()
    check_date(case_event_date, occurred_on, "occurred_on")  # the field's own bounds
    if last and occurred_on < last.occurred_on:
        raise ValidationError(
            {
                "occurred_on": _("Tanggal tahap tidak boleh sebelum tahap sebelumnya (%(d)s).")
                % {"d": last.occurred_on.isoformat()}
            }
        )
    event = StageEvent.objects.create(
        case=case,
        stage=stage,
        occurred_on=occurred_on,
        document_no=document_no,
        note=note,
        reason=reason,
        recorded_by=by,
    )
    case.stage = stage
    case.version += 1
    case.updated_by = by
    case.save(update_fields=["stage", "version", "updated_by", "updated_at"])
    return event


@transaction.atomic
def case_add_victim(*, by: User, case: Case, **victim_data) -> CaseVictim:
    """Add a victim to a case: a new one, or the same person found by NIK among the victims
    the caller may see (the link says so, with the differences). A NIK outside the
    caller's scope gives a new victim and a duplicate candidate (victims.services)."""
    _check_write(by, case)
    errors = _check_victim_means([victim_data], case.means_of_control)
    if errors:
        raise ValidationError({"status": errors["victims.0.status"]})
    recorded = victim_create(by=by, **victim_data)
    link, _created = CaseVictim.objects.get_or_create(
        case=case,
        victim=recorded.victim,
        defaults={
            "matched_existing": recorded.matched_existing,
            "differences": recorded.differences,
        },
    )
    return link


@transaction.atomic
def perpetrator_create(
    *,
    by: User,
    name: str,
    kind: str = PerpetratorKind.ORANG,
    sex: str = "",
    nationality: str = "IDN",
    birth_year: int | None = None,
    note: str = "",
) -> Perpetrator:
    """A new perpetrator; an unsaid sex is the unknown code."""
    if not may_write(by):
        raise PermissionDenied
    check_limits({"name": name, "note": note}, LIMITS)
    perpetrator = Perpetrator(
        name=(name or "").strip(),
        kind=kind,
        sex=sex or Sex.TIDAK_DIKETAHUI,
        nationality=(nationality or "IDN").upper(),
        birth_year=birth_year,
        note=note,
    )
    perpetrator.full_clean()
    perpetrator.save()
    return perpetrator


def _write_roles(involvement: Involvement, roles: Iterable[str]) -> None:
    roles = list(dict.fromkeys(roles))
    bad = [r for r in roles if r not in PerpetratorRole.values]
    if bad:
        raise ValidationError(
            {"roles": _("Kode peran tidak dikenal: %(c)s.") % {"c": ", ".join(bad)}}
        )
    involvement.role_rows.exclude(code__in=roles).delete()
    InvolvementRole.objects.bulk_create(
        [InvolvementRole(involvement=involvement, code=r) for r in roles], ignore_conflicts=True
    )


INVOLVEMENT_FIELDS = {
    "legal_status",
    "verdict",
    "verdict_on",
    "sentence_months",
    "fine",
    "articles",
    "restitution_requested",
    "restitution_awarded",
    "restitution_paid",
}


@transaction.atomic
def involvement_create(
    *,
    by: User,
    case: Case,
    perpetrator: Perpetrator | None = None,
    roles: Iterable[str] = (),
    **data,
) -> Involvement:
    """Link a perpetrator to a case: an existing one (a syndicate across cases) or a new one
    described by `name`, `kind`, `sex`, `nationality`."""
    _check_write(by, case)
    person_fields = {
        k: data.pop(k)
        for k in ("name", "kind", "sex", "nationality", "birth_year", "note")
        if k in data
    }
    unknown = set(data) - INVOLVEMENT_FIELDS
    if unknown:
        raise ValidationError({k: _("Kolom tidak dikenal.") for k in sorted(unknown)})
    check_limits(data, LIMITS)
    if perpetrator is None:
        perpetrator = perpetrator_create(by=by, **person_fields)
    involvement = Involvement(case=case, perpetrator=perpetrator, **data)
    involvement.full_clean(exclude=["case", "perpetrator"], validate_constraints=False)
    already = ValidationError({"perpetrator": _("Pelaku ini sudah tercatat dalam kasus ini.")})
    if Involvement.objects.filter(case=case, perpetrator=perpetrator).exists():
        raise already
    try:
        with transaction.atomic():  # two links of the same person at once: the constraint decides
            involvement.save()
    except IntegrityError as exc:
        raise already from exc
    _write_roles(involvement, roles)
    return involvement


@transaction.atomic
def involvement_update(
    *,
    by: User,
    involvement: Involvement,
    version: int,
    roles: Iterable[str] | None = None,
    **changes,
) -> Involvement:
    """Change a defendant's outcome, refusing a write based on a stale version: a second
    officer's save never erases a conviction recorded meanwhile."""
    _check_write(by, involvement.case)
    involvement = locked_at_version(Involvement, involvement.pk, version)
    check_limits(changes, LIMITS)
    model_update(
        involvement, changes, allowed=INVOLVEMENT_FIELDS, clean={"validate_constraints": False}
    )
    if roles is not None:
        _write_roles(involvement, roles)
    return involvement
