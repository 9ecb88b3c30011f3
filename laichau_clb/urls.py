from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clubs import accounts
from clubs import views as club_views

urlpatterns = [
    path("", club_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", accounts.LogoutEverywhereView.as_view(), name="logout"),
    path("tai-khoan/bi-khoa/", accounts.lockouts, name="lockouts"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clubs/", include("clubs.urls")),
    path("clubs/<str:club_code>/funds/", include("funds.urls")),
    path("clubs/<str:club_code>/suc-khoe/", include("care.urls")),
    path("", include("programme.urls")),
    path("workbook/", include("workbook.urls")),
    path("reporting/", include("reporting.urls")),
    path("api/", include("api.urls")),
    path("viec/", include("jobs.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
# No route serves MEDIA_ROOT or the report archive, DEBUG included: uploads, error files and reports
# are reached only through their views, which check who is asking.
