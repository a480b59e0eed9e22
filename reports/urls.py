from django.urls import path

from . import views

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
]
