from django.urls import path

from . import views
from .audit import views as audit

app_name = "reports"
urlpatterns = [
    path("", views.summary_list, name="summary_list"),
    path("ringkasan/<int:pk>/", views.summary_detail, name="summary_detail"),
    path(
        "ringkasan/<int:pk>/unduh.<str:fmt>",
        views.summary_download,
        name="summary_download",
    ),
    path("unit/", views.return_list, name="return_list"),
    path("audit/", audit.audit_home, name="audit"),
    path("audit/akses-identitas/", audit.audit_access, name="audit_access"),
    path("audit/ekspor/", audit.audit_exports, name="audit_exports"),
]
