"""/api/v1/: each app's API routes, and the schema and its docs."""

from django.urls import include, path

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("victims.api.urls")),
    path("", include("reports.api.urls")),
]
