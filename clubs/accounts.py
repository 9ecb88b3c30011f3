"""Logging out everywhere, and the login lockout page (django-axes) with its unlocking by an officer."""
import logging

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import staff_of

log = logging.getLogger(__name__)


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


# ---------------------------------------------------------------- login lockout (django-axes)

def client_ip(request):
    """The visitor's address for the lockout. Behind TRUSTED_PROXIES proxies (production: one, the
    TLS proxy) it is the entry those proxies added to X-Forwarded-For; what the client wrote there
    itself is ignored, so nobody escapes the lock by inventing addresses."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_attempts():
    """The account/address pairs locked right now, newest first."""
    since = timezone.now() - get_cool_off()
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=since
    ).order_by("-attempt_time")


def lockout_response(request, original_response=None, credentials=None):
    """The Vietnamese lockout page: how many tries, and at what time to try again."""
    username = get_client_username(request, credentials) or ""
    last = locked_attempts().filter(username=username, ip_address=client_ip(request)).first()
    retry_at = (last.attempt_time if last else timezone.now()) + get_cool_off()
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(get_cool_off().total_seconds() / 60),
        "retry_at": retry_at,
    }
    return render(request, "registration/lockout.html", context, status=429)


def _officer_or_403(request):
    staff = staff_of(request.user)
    if staff is None or not staff.sees_all:
        raise PermissionDenied
    return staff


def lockouts(request):
    """Officers and admins see the locked accounts and can unlock one."""
    _officer_or_403(request)
    if request.method == "POST":
        attempt = get_object_or_404(locked_attempts(), pk=request.POST.get("attempt"))
        reset(username=attempt.username, ip=attempt.ip_address)
        log.warning("Login lock of %r from %s lifted by %s", attempt.username, attempt.ip_address, request.user.username)
        messages.success(request, _("Đã mở khoá tài khoản %(username)s.") % {"username": attempt.username})
        return redirect("lockouts")
    return render(request, "registration/lockouts.html", {"attempts": locked_attempts()})
