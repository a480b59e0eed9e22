"""Every write about victims: records, identities, services and referrals, consent."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Regency, User
from agencies.scoping import (
    assert_may_write,
    assert_may_write_victim,
    may_change_service,
    may_write,
    sees_everything,
)
from audit.services import erasure_record, identity_access_record
from core.crypto import EncryptedTextField, nik_hash, readable
from core.limits import check_limits
from core.sequences import next_number
from core.versions import locked_at_version, model_update

from .codes import DuplicateReason, ServiceStatus, ServiceType, Sex
from .models import Consent, DuplicateCandidate, Victim, VictimIdentity, VictimService
from .validators import check_date, past_date

IDENTITY_FIELDS = ("full_name", "nik", "birth_date", "phone", "address", "guardian")
# ASCII digits only: `\d` would take any Unicode digit (full-width, Arabic-Indic), and
# such a NIK would hash as another person.
NIK_PATTERN = re.compile(r"[0-9]{16}")
# What people type between the groups of a NIK: spaces, dots, dashes (and their look-alikes).
NIK_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]")
NIK_RAW_MAX = 32
ERASURE_REFERENCE_MAX = 100
# The limits of victim data for every door; forms and serializers read them from here.
LIMITS = {"note": 5_000, "occupation": 100, "simfoni_id": 50}
# What `victim_update` accepts, in the order the forms show it (the admin reads it too).
VICTIM_UPDATABLE = (
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
)


def nik_normalise(raw: str) -> str:
    """The NIK as 16 ASCII digits: spaces, dots and dashes between groups are dropped;
    anything else (letters, full-width or Arabic-Indic digits) is refused, never hashed as
    another person. The message never echoes the value."""
    if len(raw) > NIK_RAW_MAX:
        raise ValidationError(_("NIK harus terdiri dari 16 angka."))
    digits = NIK_SEPARATORS.sub("", raw)
    if NIK_PATTERN.fullmatch(digits):
        return digits
    if any(not ("0" <= c <= "9") and unicodedata.digit(c, None) is not None for c in digits):
        raise ValidationError(
            _(
                "NIK hanya boleh berisi angka 0-9 biasa; angka lebar penuh atau angka "
                "Arab-Indik tidak diterima. Ketik ulang NIK dengan angka biasa."
            )
        )
    if any(not ("0" <= c <= "9") for c in digits):
        raise ValidationError(
            _("NIK hanya boleh berisi angka 0-9 (spasi, titik dan tanda hubung diabaikan).")
        )
    raise ValidationError(_("NIK harus terdiri dari 16 angka."))


def identity_validate(data: dict) -> dict:
    """Clean identity fields; raise ValidationError naming each bad field. Never echoes values."""
    errors: dict[str, str] = {}
    cleaned = {k: data[k] for k in IDENTITY_FIELDS if k in data}
    unknown = set(data) - set(IDENTITY_FIELDS)
    for key in sorted(unknown):
        errors[key] = _("Kolom identitas tidak dikenal.")
    if cleaned.get("nik"):
        try:
            cleaned["nik"] = nik_normalise(str(cleaned["nik"]))
        except ValidationError as exc:
            errors["nik"] = exc.messages[0]
    birth_date = cleaned.get("birth_date")
    if birth_date and not isinstance(birth_date, date):
        try:
            cleaned["birth_date"] = birth_date = date.fromisoformat(str(birth_date))
        except ValueError:
            errors["birth_date"] = _("Tanggal lahir harus berformat YYYY-MM-DD.")
            birth_date = None
    if isinstance(birth_date, date):
        try:
            check_date(past_date, birth_date, "birth_date")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
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


@dataclass
class VictimRecorded:
    """What `victim_create` did: a new victim, or the same person found by NIK among the
    victims the caller may see (`matched_existing`), with what the submission said
    differently (`differences`: field -> [stored, submitted]; the stored record is kept)."""

    victim: Victim
    matched_existing: bool = False
    differences: dict = field(default_factory=dict)


# Compared when a submission names a victim already on record (statistics fields only).
COMPARED_FIELDS = ("sex", "age_at_identification", "age_at_exploitation")


def _differences(victim: Victim, submitted: dict) -> dict:
    found = {}
    for name in COMPARED_FIELDS:
        new, old = submitted.get(name), getattr(victim, name)
        if new in (None, "") or (name == "sex" and new == Sex.TIDAK_DIKETAHUI):
            continue  # nothing said, nothing different
        if new != old:
            found[name] = [old, new]
    return found


def victims_matchable_by(user: User):
    """The victims a NIK may match for `user`: those whose identity the user may already
    see through a case it may see (agencies.scoping's rule; kept here until scoping has
    a name for it). Any other match is never linked nor told: it becomes a duplicate
    candidate for the province."""
    return Victim.objects.identities_visible_to(user)


def _nik_holders(by: User, digest: str) -> tuple[Victim | None, int | None]:
    """(the victim of this NIK the caller may see, or None; else the id of the first
    holder outside its scope, or None when the NIK is new)."""
    same = VictimIdentity.objects.filter(nik_hash=digest).order_by("-nik_primary", "victim_id")
    mine = same.filter(victim__in=victims_matchable_by(by)).values_list("victim_id", flat=True)
    if (victim_id := mine.first()) is not None:
        return Victim.objects.get(pk=victim_id), None
    return None, same.values_list("victim_id", flat=True).first()


NIK_RACE_ATTEMPTS = 3


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
) -> VictimRecorded:
    """Create a victim, or find the same person by NIK among the victims the caller may
    see. A NIK held by a victim outside the caller's scope is answered exactly like a new
    person (a new victim) and recorded as a duplicate candidate for the province.

    Concurrent submissions of the same new NIK: the identity's constraint lets one first
    holder in; the others roll back to a savepoint and look again, so they find it (or,
    out of scope, record a candidate) exactly as a later retry would."""
    if not may_write(by):
        raise PermissionDenied
    identity = identity_validate(identity or {})
    digest = nik_hash(identity.get("nik", ""))
    fields = {
        "sex": sex,
        "age_at_identification": age_at_identification,
        "age_at_exploitation": age_at_exploitation,
        "nationality": (nationality or "IDN").upper(),
        "home_regency": home_regency,
        "education": education,
        "occupation": occupation,
        "disability": disability,
        "status": status,
        "identifying_agency": identifying_agency or by.agency,
        "identified_on": identified_on,
        "simfoni_id": simfoni_id,
    }
    for attempt in range(NIK_RACE_ATTEMPTS):
        mine, other_id = _nik_holders(by, digest) if digest else (None, None)
        if mine is not None:
            return VictimRecorded(mine, True, _differences(mine, fields))
        last = attempt == NIK_RACE_ATTEMPTS - 1
        # A second record of a NIK is keyed by the recording agency (one per agency under
        # the constraint), except on the last attempt, which always gets in.
        agency_id = None if other_id is None or last else by.agency_id
        try:
            with transaction.atomic():
                victim = _victim_insert(
                    fields, identity, digest, primary=other_id is None, agency_id=agency_id
                )
        except IntegrityError:
            # Another submission recorded this NIK first (its commit released us): look
            # again, and find what it recorded.
            raced = digest and VictimIdentity.objects.filter(nik_hash=digest).exists()
            if not raced or last:
                raise
            continue
        if other_id is not None:
            DuplicateCandidate.objects.get_or_create(
                reason=DuplicateReason.NIK_SAMA, existing_victim_id=other_id, new_victim=victim
            )
        return VictimRecorded(victim)
    raise AssertionError("unreachable")  # pragma: no cover


def _victim_insert(
    fields: dict, identity: dict, digest: str, *, primary: bool, agency_id: int | None
) -> Victim:
    victim = Victim(**fields)
    # Checked before a code is taken: a refused date never names a series (KRB-1-...).
    victim.full_clean(exclude=["code"])
    victim.code = _next_victim_code((fields["identified_on"] or timezone.localdate()).year)
    victim.save()
    if any(identity.get(k) for k in IDENTITY_FIELDS):
        VictimIdentity.objects.create(
            victim=victim,
            nik_hash=digest,
            nik_primary=primary,
            nik_agency_id=agency_id,
            **identity,
        )
    return victim


@transaction.atomic
def victim_update(*, by: User, victim: Victim, version: int, **fields) -> Victim:
    """Change a victim's statistics fields, refusing a write based on a stale version."""
    assert_may_write_victim(by, victim)
    victim = locked_at_version(Victim, victim.pk, version)
    check_limits(fields, LIMITS)
    model_update(victim, fields, allowed=VICTIM_UPDATABLE)
    return victim


def may_read_identity(user: User, victim: Victim) -> bool:
    """Whether `identity_read` would show this victim's identity to the user."""
    return Victim.objects.identities_visible_to(user).filter(pk=victim.pk).exists()


def _check_identity_access(user: User, victim: Victim) -> None:
    if not may_read_identity(user, victim):
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
    assert_may_write_victim(by, victim)
    cleaned = identity_validate(fields)
    identity, _created = VictimIdentity.objects.select_for_update().get_or_create(victim=victim)
    if identity.erased_at:
        raise ValidationError(
            {"identity": _("Identitas ini telah dihapus atas permintaan yang sah.")}
        )
    for key, value in cleaned.items():
        setattr(identity, key, value)
    other_id = None
    if "nik" in cleaned and (digest := nik_hash(cleaned["nik"])) != identity.nik_hash:
        mine, other_id = _nik_holders(by, digest)
        if mine is not None and mine.pk != victim.pk:
            # The caller may see that victim: say so, so it links the case to her instead.
            raise ValidationError(
                {
                    "nik": _("NIK ini sudah tercatat untuk korban lain (%(code)s).")
                    % {"code": mine.code}
                }
            )
        identity.nik_hash = digest
        identity.nik_primary = other_id is None
        identity.nik_agency = None
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:
        # Recorded meanwhile by someone else: the next attempt finds it.
        raise ValidationError(
            {"nik": _("NIK ini baru saja dicatat oleh pengguna lain. Kirim ulang.")}
        ) from exc
    if other_id is not None:
        # Outside the caller's scope: saved like any NIK, and queued for the province.
        DuplicateCandidate.objects.get_or_create(
            reason=DuplicateReason.NIK_SAMA, existing_victim_id=other_id, new_victim=victim
        )
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


def identities_verify(*, newest_only: bool = True, limit: int | None = None) -> tuple[int, int]:
    """(identities checked, identities with a field that does not decrypt). With
    `newest_only`, every field must decrypt with the first key alone: the proof required
    before an older key is removed. Reads the stored tokens, never the plain values."""
    encrypted = [
        f.name for f in VictimIdentity._meta.concrete_fields if isinstance(f, EncryptedTextField)
    ]
    rows = VictimIdentity.objects.order_by("pk").annotate(
        **{f"raw_{c}": Cast(c, TextField()) for c in encrypted}
    )
    checked = failing = 0
    tokens = rows.values_list(*[f"raw_{c}" for c in encrypted])
    for row in tokens[:limit] if limit else tokens.iterator(2000):
        checked += 1
        failing += any(t and not readable(t, newest_only=newest_only) for t in row)
    return checked, failing


# --- Services and referrals -------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
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


@transaction.atomic
def service_create(
    *,
    by: User,
    victim: Victim,
    case,
    type: str,
    provider_agency: Agency,
    referred_on: date | None = None,
    started_on: date | None = None,
    completed_on: date | None = None,
    note: str = "",
) -> VictimService:
    """Refer a victim to a provider (status DIRUJUK), or record a service the caller's own
    agency gives (BERJALAN, or SELESAI with a completion date). A referral lets the
    provider see the referred victim and this service while it is live (the access rule,
    agencies/scoping.py); it does not make the provider a handler of the whole case."""
    assert_may_write(by, case)
    check_limits({"note": note}, LIMITS)
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
    return service


@transaction.atomic
def service_transition(
    *,
    by: User,
    service: VictimService,
    status: str,
    on: date | None = None,
    reason: str = "",
    version: int | None = None,
) -> VictimService:
    """Accept, reject, start, complete or cancel a service. Only the provider (or the
    province) answers a referral; the referrer may cancel it. 404 for a service the user
    does not see (an ended referral included)."""
    service = VictimService.objects.visible_to(by).select_for_update().filter(pk=service.pk).first()
    if service is None:
        raise Http404
    if not may_change_service(by, service, cancel=status == ServiceStatus.DIBATALKAN):
        raise PermissionDenied
    service = locked_at_version(VictimService, service.pk, version)  # locked above already
    check_limits({"reason": reason}, {"reason": LIMITS["note"]})
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
    service.version += 1
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
    assert_may_write_victim(by, victim)
    check_limits({"note": note}, LIMITS)
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
def consent_withdraw(
    *, by: User, consent: Consent, withdrawn_on: date, version: int | None = None
) -> Consent:
    assert_may_write_victim(by, consent.victim)
    consent = locked_at_version(Consent, consent.pk, version)
    model_update(consent, {"withdrawn_on": withdrawn_on}, allowed={"withdrawn_on"})
    return consent
