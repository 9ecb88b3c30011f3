from django.urls import path

from . import activity_views, month_views, views

app_name = "clubs"
urlpatterns = [
    path("", views.club_list, name="list"),
    # Fixed words come before <code>/ so no club code can shadow them.
    path("them/", views.club_create, name="create"),
    path("tim-thanh-vien/", views.member_search, name="member_search"),
    path("<str:code>/", views.club_detail, name="detail"),
    path("<str:code>/sua/", views.club_edit, name="edit"),
    path("<str:code>/giai-the/", views.club_dissolve, name="dissolve"),
    path("<str:code>/thanh-vien/", views.member_list, name="members"),
    path("<str:code>/thanh-vien/in/", views.member_register_print, name="members_print"),
    path("<str:code>/thanh-vien/them/", views.member_add, name="member_add"),
    path("<str:code>/thanh-vien/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("<str:code>/thanh-vien/<int:pk>/roi-clb/", views.member_leave, name="member_leave"),
    path("<str:code>/ban-chu-nhiem/", views.board, name="board"),
    path("<str:code>/ban-chu-nhiem/<int:pk>/thoi/", views.board_end, name="board_end"),
    path("<str:code>/hoat-dong/", activity_views.activity_calendar, name="activities"),
    path("<str:code>/hoat-dong/<int:year>/<int:month>/", activity_views.activity_sheet, name="activity_sheet"),
    path("<str:code>/sinh-hoat/", activity_views.meeting_list, name="meetings"),
    path("<str:code>/sinh-hoat/them/", activity_views.meeting_add, name="meeting_add"),
    path("<str:code>/sinh-hoat/<int:pk>/", activity_views.meeting_edit, name="meeting_edit"),
    path("<str:code>/lich-su/", views.history, name="history"),
    path("<str:code>/bao-cao-thang/<int:year>/<int:month>/danh-dau/", month_views.month_mark, name="month_mark"),
    path("<str:code>/bao-cao-thang/<int:year>/<int:month>/bo-danh-dau/", month_views.month_unmark,
         name="month_unmark"),
]
