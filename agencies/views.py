from django.contrib.auth import views as auth_views

from .forms import LoginForm
from .scoping import may_see_identities, may_write, role_of, visible_regencies


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def who_context(user) -> dict:
    """Who the user is, their agency and how far they see: the head of the home page."""
    return {
        "role_label": user.get_role_display() if not user.is_superuser else None,
        "role": role_of(user),
        "regencies": visible_regencies(user),
        "may_see_identities": may_see_identities(user),
        "may_write": may_write(user),
    }
