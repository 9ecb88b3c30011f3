from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.club_health, name="club"),
    path("them/", views.session_add, name="session_add"),
    path("buoi/<int:pk>/", views.session_edit, name="session_edit"),
    path("thanh-vien/<int:pk>/", views.member_health, name="member"),
]
