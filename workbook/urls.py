from django.urls import path

from . import views

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
]
