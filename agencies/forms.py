from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # One message for an unknown user, a wrong password and an inactive account alike,
    # so the form reveals nothing about which accounts exist.
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa kembali, lalu coba lagi."),
        "inactive": _("Nama pengguna atau kata sandi salah. Periksa kembali, lalu coba lagi."),
    }
