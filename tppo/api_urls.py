"""/api/v1/: each app's API routes, and the schema and its docs."""

import os

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api_base import not_found
from .bench_floor import case_list_floor

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("victims.api.urls")),
    path("", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *(
        [path("_floor/cases/", case_list_floor)]  # `make bench` only (tppo/bench_floor.py)
        if os.environ.get("TPPO_BENCH_FLOOR") == "1"
        else []
    ),
    # Last: any other address under /api/v1/ answers the JSON 404, not the HTML page.
    re_path(r"^.*$", not_found),
]
