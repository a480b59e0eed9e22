"""The product's URLs plus the benchmark's SQL floor, served only by `make bench`."""

from django.urls import include, path

from .floor import case_list_floor

urlpatterns = [
    # Before the product's /api/v1/, whose catch-all answers every other address there.
    path("api/v1/_floor/cases/", case_list_floor),
    path("", include("tppo.urls")),
]
