"""The fixed part of the demo's world: regencies, agencies and the officers who sign."""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import Agency, Regency, User

from .users import demo_officers_seed


@dataclass(frozen=True)
class World:
    regencies: dict[str, Regency]
    units: dict[str, Agency]  # the Unit PPA of each regency
    dp3a: dict[str, Agency]  # the DP3A of each regency
    uptd: Agency
    dinsos: Agency
    bp3mi: Agency
    officers: dict[int, User]  # the officer of each unit, by the unit's id

    @classmethod
    def load(cls, *, seed: int) -> World:
        agencies = list(Agency.objects.select_related("regency", "parent"))
        by_name = {a.name: a for a in agencies}
        return cls(
            regencies={r.pk: r for r in Regency.objects.all()},
            units={a.regency_id: a for a in agencies if a.kind == Agency.Kind.UNIT_PPA},
            dp3a={a.regency_id: a for a in agencies if a.kind == Agency.Kind.DP3A and a.regency_id},
            uptd=by_name["UPTD PPA Provinsi Kalimantan Selatan"],
            dinsos=by_name["Dinas Sosial Provinsi Kalimantan Selatan"],
            bp3mi=by_name["BP3MI Kalimantan Selatan"],
            officers=demo_officers_seed(seed=seed),
        )

    def officer_of(self, agency: Agency) -> User:
        return self.officers[agency.pk]
