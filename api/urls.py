from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .endpoints import api


def _outside_login(urls):
    """The API answers its own 401 (a JSON body, not the login page's redirect): every view it adds,
    the schema and its docs page included, is exempt from LoginRequiredMiddleware."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


app_name = "api"
urlpatterns = [
    path("v1/", _outside_login(api.urls)),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
