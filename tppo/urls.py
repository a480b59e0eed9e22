from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from agencies.otp import otp_setup, otp_verify
from reports.dashboard import dashboard

from .health import healthz

admin.site.site_header = "Sistem Informasi Kasus TPPO Kalimantan Selatan"
admin.site.site_title = "SI-TPPO Kalsel"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("masuk/kode/", otp_verify, name="otp_verify"),
    path("masuk/kode/atur/", otp_setup, name="otp_setup"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tppo.api_urls")),
    path("kasus/", include("cases.urls")),
    path("korban/", include("victims.urls")),
    path("laporan/", include("reports.urls")),
    # The home page is the task-force dashboard (Beranda), from the top app that reads all.
    path("", dashboard, name="home"),
    path("", include("agencies.urls")),
]
