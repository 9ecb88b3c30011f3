"""The shared cleaner of what a request carries before any view reads it, and the sessions' idle clock."""
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404

CLOCK = "_idle_clock"  # when the session's expiry was last moved forward (seconds since the epoch)


class RefuseNulCharacters:
    """A NUL character in the path or in a query parameter is a 404, never a server error.

    PostgreSQL refuses NUL in any text it is sent, so `?club=`, `?area=`, `?q=` or a club code in the
    URL holding one raised ValueError on every page that looks it up. No code, name or search has
    one, so nothing a person can type is lost. Form fields already refuse it (Django's CharField).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            raise Http404
        return self.get_response(request)


class SessionIdleClock:
    """A session ends SESSION_COOKIE_AGE after the last request, to within SESSION_CLOCK_SECONDS.

    The session row's expiry moves forward when the session is saved. Saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) cost three of the seven database round trips of a page served from
    the page cache, one of them a commit. So a signed-in session is saved when something in it changed
    (a login, a message), or when its last save is SESSION_CLOCK_SECONDS old; Django's SessionMiddleware
    does the saving, after this middleware has marked the session. Listed after it in MIDDLEWARE, so it
    sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A session nobody read this request is not loaded for the clock; after a logout it is empty
        # and must stay so (a clock alone would create a row for an anonymous visitor).
        if session is None or not session.accessed or not request.user.is_authenticated:
            return response
        now = int(time.time())
        if session.modified or session.get(CLOCK, 0) <= now - settings.SESSION_CLOCK_SECONDS:
            session[CLOCK] = now
        return response


@receiver(user_logged_in)
def _start_the_clock(sender, request, user, **kwargs):
    """A login saves the session anyway: the clock starts with it (also for Client.force_login, which
    logs in without the middlewares)."""
    if request is not None and hasattr(request, "session"):
        request.session[CLOCK] = int(time.time())
