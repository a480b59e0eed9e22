from django.contrib.auth import views as auth_views
from django.shortcuts import render

from .forms import LoginForm
from .scoping import may_see_identities, may_write, role_of, visible_regencies


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    user = request.user
    role = role_of(user)
    return render(
        request,
        "agencies/home.html",
        {
            "role_label": user.get_role_display() if not user.is_superuser else None,
            "role": role,
            "regencies": visible_regencies(user),
            "may_see_identities": may_see_identities(user),
            "may_write": may_write(user),
        },
    )
