"""The app's URLs plus one view that fails, to see the 500 page and its log line."""
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.urls import path

from laichau_clb.urls import urlpatterns as app_urlpatterns

SECRET_DETAIL = "chi-tiet-noi-bo-khong-duoc-lo"


@login_not_required
def boom(request):
    raise RuntimeError(SECRET_DETAIL)


@login_not_required
def suspicious(request):
    raise SuspiciousOperation(SECRET_DETAIL)


urlpatterns = [*app_urlpatterns, path("loi-thu/", boom), path("nghi-ngo/", suspicious)]
