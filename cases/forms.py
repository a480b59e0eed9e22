"""Forms of the case pages. They only shape input: every rule is checked by the services,
whose errors are put back on the fields they name (`apply_service_errors`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Regency, User
from agencies.scoping import may_move_case, regencies_for_new_case
from core.forms import DATE, BootstrapMixin, PageFilterMixin, SubmissionKeyMixin
from victims.codes import Sex
from victims.models import Victim

from .codes import (
    CODE_ATTRS,
    CODE_LISTS,
    INITIAL_STAGES,
    LegalStatus,
    PerpetratorKind,
    PerpetratorRole,
    Stage,
)
from .filters import CaseFilter
from .models import Case, Involvement, Perpetrator
from .services import LIMITS

CODE_LABELS = {
    "exploitation_types": _("Jenis eksploitasi"),
    "recruitment_modus": _("Modus perekrutan"),
    "recruitment_channels": _("Saluran perekrutan"),
    "means_of_control": _("Sarana kontrol"),
}


def _code_field(attr: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=CODE_LABELS[attr],
        choices=CODE_LISTS[CODE_ATTRS[attr]].choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "code-list"}),
    )


class CasePageFilter(PageFilterMixin, CaseFilter):
    """The API's filters, with date pickers and Bootstrap widgets for the list page."""

    PAGE_FIELDS = (
        "search",
        "regency",
        "stage",
        "status",
        "exploitation_type",
        "reported_after",
        "reported_before",
    )
    DATE_FIELDS = ("reported_after", "reported_before")


class CaseForm(BootstrapMixin, forms.ModelForm):
    """A case's own fields. Model validation is left to the services (`_post_clean`)."""

    exploitation_types = _code_field("exploitation_types")
    recruitment_modus = _code_field("recruitment_modus")
    recruitment_channels = _code_field("recruitment_channels")
    means_of_control = _code_field("means_of_control")

    class Meta:
        model = Case
        fields = [
            "regency",
            "police_report_no",
            "external_ref",
            "reported_on",
            "occurred_from",
            "occurred_to",
            "summary",
            "labour_sector",
            "recruiter_relation",
            "transnational",
            "destination_country",
            "complicity",
            "simfoni_id",
        ]
        widgets = {
            "reported_on": DATE,
            "occurred_from": DATE,
            "occurred_to": DATE,
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": LIMITS["summary"]}),
            "destination_country": forms.TextInput(
                attrs={"maxlength": 3, "size": 4, "autocapitalize": "characters"}
            ),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            if not may_move_case(user):  # moving a case is the province's decision
                self.fields["regency"].queryset = Regency.objects.filter(
                    pk=self.instance.regency_id
                )
        else:
            self.fields["regency"].queryset = regencies_for_new_case(user)
            if user.agency and user.agency.regency_id:
                self.fields["regency"].initial = user.agency.regency_id
        if self.instance.pk:
            for attr in CODE_ATTRS:
                self.fields[attr].initial = getattr(self.instance, attr)

    def _post_clean(self):
        pass  # the services validate (and name the fields they refuse)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "submission_key"}


class CaseCreateForm(SubmissionKeyMixin, CaseForm):
    stage = forms.ChoiceField(
        label=_("Tahap awal"),
        choices=[(s, Stage(s).label) for s in INITIAL_STAGES],
        initial=Stage.PENGADUAN,
    )


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(CaseForm.Meta):
        fields = [*CaseForm.Meta.fields, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


IDENTITY_FIELDS = ("full_name", "nik", "birth_date", "phone", "address", "guardian")


class VictimInlineForm(BootstrapMixin, forms.ModelForm):
    """A victim in the case form: statistics fields, and the identity kept apart."""

    full_name = forms.CharField(label=_("Nama lengkap"), required=False, max_length=500)
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, widget=DATE)
    phone = forms.CharField(label=_("Telepon"), required=False, max_length=500)
    address = forms.CharField(label=_("Alamat"), required=False, max_length=500)
    guardian = forms.CharField(label=_("Orang tua/wali"), required=False, max_length=500)

    class Meta:
        model = Victim
        fields = [
            "sex",
            "age_at_identification",
            "age_at_exploitation",
            "nationality",
            "home_regency",
            "status",
        ]

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in IDENTITY_FIELDS}
        identity = {k: self.cleaned_data.get(k) for k in IDENTITY_FIELDS}
        identity = {k: v for k, v in identity.items() if v}
        if identity:
            data["identity"] = identity
        return data


class PerpetratorFieldsMixin(forms.Form):
    """Who a perpetrator is and what they did in the case."""

    kind = forms.ChoiceField(
        label=_("Jenis pelaku"), choices=PerpetratorKind.choices, initial=PerpetratorKind.ORANG
    )
    name = forms.CharField(label=_("Nama pelaku"), max_length=LIMITS["name"], required=False)
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False
    )
    nationality = forms.CharField(label=_("Kewarganegaraan"), max_length=3, initial="IDN")
    roles = forms.MultipleChoiceField(
        label=_("Peran dalam kasus"),
        choices=PerpetratorRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "code-list"}),
    )
    legal_status = forms.ChoiceField(
        label=_("Status hukum"), choices=LegalStatus.choices, initial=LegalStatus.TERSANGKA
    )

    def person_data(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d.get("name", ""),
            "kind": d["kind"],
            "sex": d.get("sex", ""),
            "nationality": d.get("nationality") or "IDN",
            "roles": d.get("roles", []),
            "legal_status": d["legal_status"],
        }


class PerpetratorInlineForm(BootstrapMixin, PerpetratorFieldsMixin):
    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("name") or "").strip():
            self.add_error("name", _("Nama pelaku wajib diisi."))
        return data


class VictimRows(forms.BaseFormSet):
    """Victim rows, capped at the services' limit, which the message names."""

    default_error_messages = {"too_many_forms": _("Paling banyak %(num)d korban per kasus.")}


class PerpetratorRows(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": _("Paling banyak %(num)d pelaku per kasus.")}


VictimFormSet = forms.formset_factory(
    VictimInlineForm,
    formset=VictimRows,
    extra=1,
    max_num=LIMITS["victims"],
    absolute_max=LIMITS["victims"],
    validate_max=True,
)
PerpetratorFormSet = forms.formset_factory(
    PerpetratorInlineForm,
    formset=PerpetratorRows,
    extra=1,
    max_num=LIMITS["perpetrators"],
    absolute_max=LIMITS["perpetrators"],
    validate_max=True,
)


def filled_forms(formset) -> list[forms.Form]:
    """The forms of a formset that the user filled in (empty extra rows are skipped)."""
    return [f for f in formset.forms if f.has_changed() and f.cleaned_data]


def apply_service_errors(exc: ValidationError, form: forms.Form, nested: dict) -> None:
    """Put a service's errors on the fields they name. Keys like `victims.1.nik` go to the
    second filled victim form; `nested` maps a prefix to the forms in submission order."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for key, messages in errors.items():
        target, field = form, key
        prefix, _sep, rest = key.partition(".")
        if prefix in nested and rest:
            index, _sep, field = rest.partition(".")
            forms_ = nested[prefix]
            if index.isdigit() and int(index) < len(forms_):
                target = forms_[int(index)]
            field = field.split(".")[-1] if field else None
        if field == "identity":
            field = None
        for message in messages:
            target.add_error(field if field in target.fields else None, message)


class StageForm(SubmissionKeyMixin, BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Tahap berikutnya"))
    occurred_on = forms.DateField(label=_("Tanggal"), widget=DATE)
    document_no = forms.CharField(
        label=_("Nomor dokumen"), max_length=LIMITS["document_no"], required=False
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila kasus dibuka kembali)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in allowed]


class PerpetratorSearchForm(forms.Form):
    """The search box of the add-perpetrator page, checked before the term reaches a query."""

    q = forms.CharField(required=False, max_length=100)


class PerpetratorLinkForm(SubmissionKeyMixin, BootstrapMixin, PerpetratorFieldsMixin):
    """Add a perpetrator to a case: one already recorded (found by a search sent by POST,
    so no name travels in a URL) or a new one."""

    q = forms.CharField(label=_("Cari pelaku yang sudah tercatat"), required=False, max_length=100)
    perpetrator = forms.ModelChoiceField(
        label=_("Pelaku yang sudah tercatat"),
        queryset=Perpetrator.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perpetrator"].queryset = candidates

    def clean(self):
        data = super().clean()
        if not data.get("perpetrator") and not (data.get("name") or "").strip():
            self.add_error("name", _("Pilih pelaku yang sudah tercatat atau isi nama pelaku baru."))
        return data


class VerdictForm(BootstrapMixin, forms.ModelForm):
    """A defendant's outcome in a case (involvement_update validates it)."""

    roles = forms.MultipleChoiceField(
        label=_("Peran dalam kasus"),
        choices=PerpetratorRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "code-list"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Involvement
        fields = [
            "legal_status",
            "verdict",
            "verdict_on",
            "sentence_months",
            "fine",
            "articles",
            "restitution_requested",
            "restitution_awarded",
            "restitution_paid",
        ]
        widgets = {"verdict_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].initial = self.instance.roles
        self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        pass


def matched_victims_messages(case: Case) -> list[str]:
    """For the page's success message: each victim of `case` found already on record by
    NIK (within the user's scope), and what the form said differently. The stored record
    is kept; the user is told rather than the difference being dropped silently."""
    notes = []
    for link in case.victim_links.filter(matched_existing=True).select_related("victim"):
        text = _(
            "Korban %(code)s sudah tercatat (NIK sama) dan ditautkan ke kasus ini; "
            "data yang tersimpan tidak diubah."
        ) % {"code": link.victim.code}
        if link.differences:
            parts = [
                f"{Victim._meta.get_field(name).verbose_name}: "
                f"{_display(name, stored)} → {_display(name, submitted)}"
                for name, (stored, submitted) in sorted(link.differences.items())
            ]
            text += " " + _("Berbeda dari isian Anda: %(list)s.") % {"list": "; ".join(parts)}
        notes.append(str(text))
    return notes


def _display(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "sex" and value in Sex.values:
        return str(Sex(value).label)
    return str(value)
