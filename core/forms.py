"""Form pieces every app's pages share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .idempotency import KEY_PATTERN, new_key


class SubmissionKeyMixin(forms.Form):
    """A create form's one-time submission key: a hidden field holding a random token
    generated when the form is rendered. Posted again (a double click, a resend, the back
    button), the key is the same, and `core.idempotency.once` answers with the record made
    the first time. A form re-rendered after a validation error keeps its key (nothing
    was stored under it)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = new_key()

    def clean_submission_key(self) -> str:
        key = (self.cleaned_data.get("submission_key") or "").strip()
        if key and not KEY_PATTERN.fullmatch(key):
            raise forms.ValidationError(
                _("Formulir ini tidak lengkap. Muat ulang halaman, lalu isi kembali.")
            )
        return key

    def clean(self):
        data = super().clean()
        for message in self.errors.pop("submission_key", []):
            self.add_error(None, message)  # a hidden field: said at the top of the form
        return data

    def one_time_key(self) -> str:
        return self.cleaned_data.get("submission_key") or ""
