"""Forms of the victim pages; the services check every rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core.forms import DATE, BootstrapMixin, PageFilterMixin, SubmissionKeyMixin

from .codes import ServiceType
from .filters import VictimFilter
from .services import LIMITS


class VictimPageFilter(PageFilterMixin, VictimFilter):
    """The API's victim filters on the list page. Victims are found by their pseudonymous
    code, never by name."""

    PAGE_FIELDS = ("code", "sex", "status")


class ServiceForm(SubmissionKeyMixin, BootstrapMixin, forms.Form):
    """Refer a victim to a provider, or record a service the user's own agency gives."""

    case = forms.ModelChoiceField(label=_("Kasus"), queryset=None)
    type = forms.ChoiceField(label=_("Jenis layanan"), choices=ServiceType.choices)
    provider_agency = forms.ModelChoiceField(
        label=_("Instansi pemberi layanan"), queryset=Agency.objects.filter(is_active=True)
    )
    referred_on = forms.DateField(label=_("Tanggal"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=LIMITS["note"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tanpa nama, NIK, alamat atau data pengenal korban."),
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class ReferralAnswerForm(forms.Form):
    ACCEPT, REJECT = "DITERIMA", "DITOLAK"
    decision = forms.ChoiceField(
        label=_("Jawaban"),
        choices=[(ACCEPT, _("Terima rujukan")), (REJECT, _("Tolak rujukan"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Wajib diisi bila rujukan ditolak."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan penolakan wajib diisi."))
        return data


class IdentityEraseForm(BootstrapMixin, forms.Form):
    """Erasure on a lawful request: the request's reference, and the victim's code typed
    again so that the wrong victim is not erased by a slip."""

    reference = forms.CharField(
        label=_("Nomor surat/penetapan permintaan penghapusan"),
        max_length=100,
        help_text=_(
            "Dasar hukum: UU 27/2022 tentang Pelindungan Data Pribadi. Isi nomor surat atau "
            "penetapan saja, tanpa nama atau data pengenal siapa pun."
        ),
    )
    confirm_code = forms.CharField(label=_("Ketik ulang kode korban"), max_length=20)

    def __init__(self, *args, victim, **kwargs):
        super().__init__(*args, **kwargs)
        self.victim = victim
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"

    def clean_confirm_code(self) -> str:
        code = self.cleaned_data["confirm_code"].strip()
        if code.upper() != self.victim.code.upper():
            raise forms.ValidationError(_("Kode korban tidak cocok."))
        return code
