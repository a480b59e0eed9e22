from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import lockout
from .forms import LoginForm, UnlockForm
from .scoping import may_see_identities, may_write, role_of, sees_everything, visible_regencies


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if lockout.failures_left(self.request) == 1:
            minutes = lockout.cool_off_minutes(self.request)
            form.add_error(
                None,
                ngettext(
                    "Satu percobaan lagi sebelum nama pengguna ini dikunci %(minutes)d menit "
                    "dari alamat ini.",
                    "Satu percobaan lagi sebelum nama pengguna ini dikunci %(minutes)d menit "
                    "dari alamat ini.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        return super().form_invalid(form)


def who_context(user) -> dict:
    """Who the user is, their agency and how far they see: the head of the home page."""
    return {
        "role_label": user.get_role_display() if not user.is_superuser else None,
        "role": role_of(user),
        "regencies": visible_regencies(user),
        "may_see_identities": may_see_identities(user),
        "may_write": may_write(user),
    }


def _province_only(request) -> None:
    if not sees_everything(request.user):
        raise Http404


def lockouts(request):
    """The sign-in locks now in force, each with an Unlock button (province and admin)."""
    _province_only(request)
    return render(
        request,
        "agencies/lockouts.html",
        {
            "lockouts": lockout.current_lockouts(),
            "limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
            "minutes": lockout.cool_off_minutes(request),
        },
    )


@require_POST
def lockout_unlock(request):
    _province_only(request)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kunci tidak dikenali; muat ulang halaman lalu coba lagi."))
        return redirect("lockouts")
    removed = lockout.unlock(
        ip_address=form.cleaned_data["ip_address"], username=form.cleaned_data["username"]
    )
    if removed:
        messages.success(request, _("Kunci dibuka."))
    else:
        messages.info(request, _("Kunci itu sudah tidak berlaku."))
    return redirect("lockouts")
