from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/tien-do/", views.status, name="status"),
    path("<uuid:pk>/thu-lai/", views.retry, name="retry"),
    path("<uuid:pk>/tai-ve/", views.download, name="download"),
]
