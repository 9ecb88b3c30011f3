from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_overview, name="overview"),
]
