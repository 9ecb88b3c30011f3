"""Logging out everywhere, and the login lockout page (django-axes) with its unlocking by an officer."""
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_all_sessions(user):
    """Deletes every live session of the account. Sessions are not indexed by user, so this reads the
    live ones; a province has a few dozen staff, and it runs only at logout."""
    doomed = [
        s.pk for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()


class LogoutEverywhereView(auth_views.LogoutView):
    """Logging out on one device ends the account's sessions on every device."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            end_all_sessions(request.user)
        return super().post(request, *args, **kwargs)
