"""/api/v1/: each app's API routes, and the schema and its docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.base import not_found

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("victims.api.urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: any other address under /api/v1/ answers the JSON 404, not the HTML page.
    re_path(r"^.*$", not_found),
]
