"""Every write about victims: records, identities, services and referrals, consent."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Regency, User
from agencies.scoping import may_write, role_of, sees_everything
from audit.services import erasure_record, identity_access_record
from core.crypto import nik_hash, normalise_nik
from core.sequences import next_number

from .codes import ServiceStatus, ServiceType
from .models import Consent, Victim, VictimIdentity, VictimService

IDENTITY_FIELDS = ("full_name", "nik", "birth_date", "phone", "address", "guardian")
NIK_PATTERN = re.compile(r"^\d{16}$")
ERASURE_REFERENCE_MAX = 100


def identity_validate(data: dict) -> dict:
    """Clean identity fields; raise ValidationError naming each bad field. Never echoes values."""
    errors: dict[str, str] = {}
    cleaned = {k: data[k] for k in IDENTITY_FIELDS if k in data}
    unknown = set(data) - set(IDENTITY_FIELDS)
    for key in sorted(unknown):
        errors[key] = _("Kolom identitas tidak dikenal.")
    if cleaned.get("nik"):
        digits = normalise_nik(str(cleaned["nik"]))
        if not NIK_PATTERN.match(digits) or len(str(cleaned["nik"]).strip()) > 20:
            errors["nik"] = _("NIK harus terdiri dari 16 angka.")
        cleaned["nik"] = digits
    birth_date = cleaned.get("birth_date")
    if birth_date and not isinstance(birth_date, date):
        try:
            cleaned["birth_date"] = birth_date = date.fromisoformat(str(birth_date))
        except ValueError:
            errors["birth_date"] = _("Tanggal lahir harus berformat YYYY-MM-DD.")
            birth_date = None
    if isinstance(birth_date, date) and birth_date > timezone.localdate():
        errors["birth_date"] = _("Tanggal lahir tidak boleh di masa depan.")
    for key in ("full_name", "phone", "address", "guardian"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
            if len(cleaned[key]) > 500:
                errors[key] = _("Isian terlalu panjang (paling banyak 500 karakter).")
    if errors:
        raise ValidationError(errors)
    return cleaned


def victim_series(year: int) -> str:
    """The numbering series of the victim codes of one year (a `core.sequences` key)."""
    return f"KRB-{year}"


def victim_code(year: int, seq: int) -> str:
    """A victim's pseudonymous code: KRB-<year>-<seq, five digits>."""
    return f"{victim_series(year)}-{seq:05d}"


def _next_victim_code(year: int) -> str:
    return victim_code(year, next_number(victim_series(year)))


@transaction.atomic
def victim_create(
    *,
    by: User,
    sex: str,
    age_at_identification: int | None = None,
    age_at_exploitation: int | None = None,
    nationality: str = "IDN",
    home_regency: Regency | None = None,
    education: str = "TIDAK_DIKETAHUI",
    occupation: str = "",
    disability: bool | None = None,
    status: str = "DIDUGA",
    identifying_agency: Agency | None = None,
    identified_on: date | None = None,
    simfoni_id: str = "",
    identity: dict | None = None,
) -> tuple[Victim, bool]:
    """Create a victim, or find the same person by NIK. Returns (victim, found_existing)."""
    if not may_write(by):
        raise PermissionDenied
    identity = identity_validate(identity or {})
    digest = nik_hash(identity.get("nik", ""))
    if digest:
        existing = VictimIdentity.objects.filter(nik_hash=digest).select_related("victim").first()
        if existing:
            return existing.victim, True
    victim = Victim(
        sex=sex,
        age_at_identification=age_at_identification,
        age_at_exploitation=age_at_exploitation,
        nationality=(nationality or "IDN").upper(),
        home_regency=home_regency,
        education=education,
        occupation=occupation,
        disability=disability,
        status=status,
        identifying_agency=identifying_agency or by.agency,
        identified_on=identified_on,
        simfoni_id=simfoni_id,
    )
    victim.code = _next_victim_code((identified_on or timezone.localdate()).year)
    victim.full_clean()
    victim.save()
    if any(identity.get(k) for k in IDENTITY_FIELDS):
        VictimIdentity.objects.create(victim=victim, nik_hash=digest, **identity)
    return victim, False


@transaction.atomic
def victim_update(*, by: User, victim: Victim, **fields) -> Victim:
    if not may_write(by):
        raise PermissionDenied
    allowed = {
        "sex",
        "age_at_identification",
        "age_at_exploitation",
        "nationality",
        "home_regency",
        "education",
        "occupation",
        "disability",
        "status",
        "identified_on",
        "simfoni_id",
    }
    for key, value in fields.items():
        if key not in allowed:
            raise ValidationError({key: _("Kolom ini tidak dapat diubah.")})
        setattr(victim, key, value)
    victim.full_clean()
    victim.save()
    return victim


def _check_identity_access(user: User, victim: Victim) -> None:
    if not Victim.objects.identities_visible_to(user).filter(pk=victim.pk).exists():
        # Same answer whether the victim is outside the scope or the role may not look.
        raise Http404


@transaction.atomic
def identity_read(
    *, user: User, victim: Victim, channel: str, ip_address: str | None = None
) -> VictimIdentity | None:
    """The identity, for a user allowed to see it; every read is written to the access log."""
    _check_identity_access(user, victim)
    identity_access_record(user=user, victim=victim, channel=channel, ip_address=ip_address)
    return VictimIdentity.objects.filter(victim=victim).first()


@transaction.atomic
def identity_update(*, by: User, victim: Victim, **fields) -> VictimIdentity:
    _check_identity_access(by, victim)
    cleaned = identity_validate(fields)
    identity, _created = VictimIdentity.objects.select_for_update().get_or_create(victim=victim)
    if identity.erased_at:
        raise ValidationError(
            {"identity": _("Identitas ini telah dihapus atas permintaan yang sah.")}
        )
    for key, value in cleaned.items():
        setattr(identity, key, value)
    if "nik" in cleaned:
        identity.nik_hash = nik_hash(cleaned["nik"])
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:
        raise ValidationError({"nik": _("NIK ini sudah tercatat untuk korban lain.")}) from exc
    return identity


@transaction.atomic
def identity_erase(
    *, by: User, victim: Victim, reference: str = "", ip_address: str | None = None
) -> None:
    """Erase the identity on a lawful request (UU 27/2022); statistics stay, the erasure is
    logged. `reference` names the request (a letter or decision number, never a person)."""
    if not sees_everything(by):
        raise PermissionDenied
    reference = (reference or "").strip()
    if len(reference) > ERASURE_REFERENCE_MAX:
        raise ValidationError(
            {
                "reference": _("Nomor permintaan terlalu panjang (paling banyak %(n)d karakter).")
                % {"n": ERASURE_REFERENCE_MAX}
            }
        )
    identity = VictimIdentity.objects.select_for_update().filter(victim=victim).first()
    if identity is not None:
        for key in IDENTITY_FIELDS:
            setattr(identity, key, None if key == "birth_date" else "")
        identity.nik_hash = ""
        identity.erased_at = timezone.now()
        identity.save()
    erasure_record(by=by, victim=victim, reference=reference, ip_address=ip_address)


def identities_reencrypt(batch_size: int = 500) -> int:
    """Re-encrypt every identity under the newest key; returns how many were rewritten."""
    done = 0
    pks = list(VictimIdentity.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            for identity in VictimIdentity.objects.select_for_update().filter(
                pk__in=pks[start : start + batch_size]
            ):
                identity.save()  # reading decrypts with any key, saving encrypts with the first
                done += 1
    return done


# --- Services and referrals -------------------------------------------------------------

TRANSITIONS = {
    ServiceStatus.DIRUJUK: {
        ServiceStatus.DITERIMA,
        ServiceStatus.DITOLAK,
        ServiceStatus.DIBATALKAN,
    },
    ServiceStatus.DITERIMA: {
        ServiceStatus.BERJALAN,
        ServiceStatus.SELESAI,
        ServiceStatus.DIBATALKAN,
    },
    ServiceStatus.BERJALAN: {ServiceStatus.SELESAI, ServiceStatus.DIBATALKAN},
    ServiceStatus.SELESAI: set(),
    ServiceStatus.DITOLAK: set(),
    ServiceStatus.DIBATALKAN: set(),
}


def _check_case_write(by: User, case) -> None:
    if not type(case).objects.writable_by(by).filter(pk=case.pk).exists():
        raise PermissionDenied


@transaction.atomic
def service_create(
    *,
    by: User,
    victim: Victim,
    case,
    type: str,  # noqa: A002 - the domain's name
    provider_agency: Agency,
    referred_on: date | None = None,
    started_on: date | None = None,
    completed_on: date | None = None,
    note: str = "",
) -> VictimService:
    """Refer a victim to a provider (status DIRUJUK), or record a service the caller's own
    agency gives (BERJALAN, or SELESAI with a completion date). A referral makes the
    provider a handling agency of the case, so it can see what it was referred."""
    _check_case_write(by, case)
    if not case.victim_links.filter(victim=victim).exists():
        raise ValidationError({"victim": _("Korban ini tidak tercatat dalam kasus tersebut.")})
    if type not in ServiceType.values:
        raise ValidationError({"type": _("Jenis layanan tidak dikenal.")})
    own = provider_agency.pk == by.agency_id
    if own:
        status = ServiceStatus.SELESAI if completed_on else ServiceStatus.BERJALAN
        started_on = started_on or referred_on or timezone.localdate()
    else:
        status = ServiceStatus.DIRUJUK
        referred_on = referred_on or timezone.localdate()
        started_on = completed_on = None
    service = VictimService(
        victim=victim,
        case=case,
        type=type,
        provider_agency=provider_agency,
        referring_agency=None if own else by.agency,
        status=status,
        referred_on=referred_on,
        started_on=started_on,
        completed_on=completed_on,
        note=note,
        created_by=by,
    )
    service.full_clean()
    service.save()
    if not own:
        case.agency_links.get_or_create(agency=provider_agency)
    return service


@transaction.atomic
def service_transition(
    *, by: User, service: VictimService, status: str, on: date | None = None, reason: str = ""
) -> VictimService:
    """Accept, reject, start, complete or cancel a service. Only the provider (or the
    province) answers a referral; the referrer may cancel it."""
    service = VictimService.objects.select_for_update().get(pk=service.pk)
    provider = by.agency_id == service.provider_agency_id
    referrer = by.agency_id == service.referring_agency_id
    if not (provider or sees_everything(by) or (referrer and status == ServiceStatus.DIBATALKAN)):
        raise PermissionDenied
    if role_of(by) not in ("ADMIN", "PROVINCE", "REGENCY", "UNIT"):
        raise PermissionDenied
    if status not in TRANSITIONS.get(service.status, set()):
        raise ValidationError(
            {
                "status": _("Status %(from)s tidak dapat berubah menjadi %(to)s.")
                % {
                    "from": service.get_status_display(),
                    "to": ServiceStatus(status).label if status in ServiceStatus.values else status,
                }
            }
        )
    on = on or timezone.localdate()
    service.status = status
    if status == ServiceStatus.DITERIMA:
        service.accepted_on = on
    elif status == ServiceStatus.DITOLAK:
        service.rejected_on = on
        service.rejection_reason = reason
    elif status == ServiceStatus.BERJALAN:
        service.started_on = on
    elif status == ServiceStatus.SELESAI:
        service.started_on = service.started_on or service.accepted_on or on
        service.completed_on = on
    if reason and status != ServiceStatus.DITOLAK:
        service.note = f"{service.note}\n{reason}".strip()
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def consent_record(
    *,
    by: User,
    victim: Victim,
    basis: str,
    given_by: str,
    scope: str,
    given_on: date,
    note: str = "",
) -> Consent:
    if not Victim.objects.visible_to(by).filter(pk=victim.pk).exists():
        raise Http404
    if not may_write(by):
        raise PermissionDenied
    consent = Consent(
        victim=victim,
        basis=basis,
        given_by=given_by,
        scope=scope,
        given_on=given_on,
        note=note,
        recorded_by=by,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, by: User, consent: Consent, withdrawn_on: date) -> Consent:
    if not may_write(by):
        raise PermissionDenied
    consent.withdrawn_on = withdrawn_on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    return consent
