"""The one place that turns a URL's identifier into an object the user may see, or a 404."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Club, Member, staff_of


def staff_or_403(request):
    """The user's staff role; a login without one (no area to work in) is refused outright."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied
    return staff


def officer_or_404(request):
    """Officers only; district staff get a 404, as for another district's objects (no disclosure)."""
    staff = staff_or_403(request)
    if not staff.sees_all:
        raise Http404
    return staff


def get_club_for_user(user, code):
    return get_object_or_404(Club.objects.visible_to(user).select_related("commune__parent"), code=code)


def get_member_for_user(user, club_code, pk):
    return get_object_or_404(
        Member.objects.visible_to(user).select_related("club"), club__code=club_code, pk=pk
    )
