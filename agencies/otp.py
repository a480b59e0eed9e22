"""Second factor: a one-time code from an authenticator app (TOTP, django-otp).

Optional for everyone who sets it up; required for the roles in `OTP_REQUIRED_ROLES`
(production: PROVINCE,ADMIN). A signed-in user who has a device, or whose role requires
one, reaches nothing but the code pages until the code is given.
"""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import OTPTokenForm
from .scoping import role_of

EXEMPT_URL_NAMES = {"login", "logout", "otp_verify", "otp_setup", "set_language", "healthz"}


def otp_required(user) -> bool:
    return role_of(user) in set(settings.OTP_REQUIRED_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class OTPRequiredMiddleware:
    """After django_otp's OTPMiddleware: send unverified users to the code pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match and match.url_name in EXEMPT_URL_NAMES:
            return None
        if request.path_info.startswith(("/api/", settings.STATIC_URL)):
            return None  # the API uses tokens issued to systems; static files are public
        if confirmed_device(user):
            return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
        if otp_required(user):
            return redirect("otp_setup")
        return None


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def otp_verify(request):
    """Ask a signed-in user with a device for the current code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = confirmed_device(request.user)
    if device is None:
        return redirect("otp_setup")
    form = OTPTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


def otp_setup(request):
    """Pair an authenticator app: show the key, confirm with the first code."""
    if confirmed_device(request.user):
        return redirect("otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "autentikator"}
    )
    form = OTPTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Verifikasi dua langkah aktif untuk akun Anda."))
        return redirect("home")
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
            "required": otp_required(request.user),
        },
    )
