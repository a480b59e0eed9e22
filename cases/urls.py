from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("unduh.csv", views.case_export, name="export"),
    path("baru/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/ubah/", views.case_edit, name="edit"),
    path("<int:pk>/tahap/", views.case_stage, name="stage"),
    path("<int:pk>/pelaku/", views.involvement_add, name="involvement_add"),
    path("keterlibatan/<int:pk>/", views.involvement_edit, name="involvement_edit"),
    path("pelaku/<int:pk>/", views.perpetrator_detail, name="perpetrator"),
]
