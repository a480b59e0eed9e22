"""/api/v1/: each app's API routes, and the schema and its docs."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import include, path, re_path, reverse
from django.utils.http import urlencode
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions

from agencies.authentication import OTPRequired
from core.api.base import not_found


class SwaggerView(SpectacularSwaggerView):
    """The interactive docs, for signed-in users (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]):
    a browser without a session is sent to the sign-in page instead of a JSON 401, one that
    has not given its one-time code to the code page."""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        if isinstance(exc, OTPRequired):
            query = urlencode({"next": self.request.get_full_path()})
            return redirect(f"{reverse('otp_verify')}?{query}")
        return super().handle_exception(exc)


urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("victims.api.urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: any other address under /api/v1/ answers the JSON 404, not the HTML page.
    re_path(r"^.*$", not_found),
]
