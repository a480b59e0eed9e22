from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # One message for an unknown user, a wrong password and an inactive account alike,
    # so the form reveals nothing about which accounts exist.
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa kembali, lalu coba lagi."),
        "inactive": _("Nama pengguna atau kata sandi salah. Periksa kembali, lalu coba lagi."),
    }


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode sekali pakai"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
        help_text=_("Enam angka dari aplikasi autentikator di ponsel Anda."),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not (token.isdigit() and self.device and self.device.verify_token(token)):
            raise forms.ValidationError(_("Kode salah atau sudah kedaluwarsa. Coba kode terbaru."))
        return token


class UnlockForm(forms.Form):
    """Which sign-in lock to lift: a username at an address, or (no username) the address."""

    ip_address = forms.GenericIPAddressField()
    username = forms.CharField(max_length=150, required=False)
