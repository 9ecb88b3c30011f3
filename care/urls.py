from django.urls import path

from . import home_views, views

app_name = "care"
urlpatterns = [
    path("", views.club_health, name="club"),
    path("them/", views.session_add, name="session_add"),
    path("buoi/<int:pk>/", views.session_edit, name="session_edit"),
    path("thanh-vien/<int:pk>/", views.member_health, name="member"),
    path("tai-nha/", home_views.club_home_care, name="home"),
    path("tai-nha/them/", home_views.care_add, name="care_add"),
    path("tai-nha/<int:pk>/", home_views.care_edit, name="care_edit"),
    path("tai-nha/<int:pk>/tham/", home_views.visit_add, name="visit_add"),
    path("tai-nha/lan-tham/<int:pk>/", home_views.visit_edit, name="visit_edit"),
    path("tai-nha/lan-tham/<int:pk>/bo/", home_views.visit_remove, name="visit_remove"),
    path("tai-nha/so-thang/<int:year>/<int:month>/", home_views.month_sheet, name="home_sheet"),
]
