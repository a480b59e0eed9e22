from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SubmissionKeyMixin

from .services import LIMITS


class UnitReturnForm(SubmissionKeyMixin, forms.Form):
    period = forms.CharField(
        label=_("Periode (YYYY-MM)"),
        max_length=7,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "month"}),
    )
    nil = forms.BooleanField(
        label=_("Laporan nihil (tidak ada kasus TPPO bulan ini)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=LIMITS["note"],
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Tanpa nama, NIK, alamat atau data pengenal korban."),
    )


class SummaryFilterForm(forms.Form):
    periode = forms.CharField(
        label=_("Periode"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "month"}),
    )
