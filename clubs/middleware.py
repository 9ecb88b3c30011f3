"""The shared cleaner of what a request carries before any view reads it."""
from django.http import Http404


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
