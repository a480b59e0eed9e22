from django.urls import path

from . import views

app_name = "victims"
urlpatterns = [
    path("", views.victim_list, name="list"),
    path("duplikat/", views.duplicate_list, name="duplicates"),
    path("<int:pk>/", views.victim_detail, name="detail"),
    path("<int:pk>/identitas/", views.identity_reveal, name="identity"),
    path("<int:pk>/identitas/hapus/", views.identity_erase, name="identity_erase"),
    path("<int:pk>/layanan/baru/", views.service_create, name="service_create"),
    path("layanan/<int:pk>/jawab/", views.referral_answer, name="referral_answer"),
]
