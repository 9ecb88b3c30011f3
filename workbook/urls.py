from django.urls import path

from . import plan_views, views

app_name = "workbook"
urlpatterns = [
    path("", views.index, name="index"),
    path("mau.xlsx", views.template_download, name="template"),
    path("xuat.xlsx", views.export, name="export"),
    path("upload/", views.upload, name="upload"),
    path("<uuid:pk>/", views.preview, name="preview"),
    path("<uuid:pk>/sheet/<slug:key>/", views.sheet_rows, name="sheet"),
    path("<uuid:pk>/confirm/", views.confirm, name="confirm"),
    path("<uuid:pk>/loi.xlsx", views.errors_download, name="errors"),
    path("ke-hoach/mau-ke-hoach.xlsx", plan_views.plan_template, name="plan_template"),
    path("ke-hoach/nhap/", plan_views.plan_import_new, name="plan_import_new"),
    path("ke-hoach/<int:pk>/nhap/", plan_views.plan_import_into, name="plan_import"),
    path("ke-hoach/<int:pk>/xuat.xlsx", plan_views.plan_export, name="plan_export"),
]
