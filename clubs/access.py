"""The one place that turns a URL's identifier into an object the user may see, or a 404."""
from django.shortcuts import get_object_or_404

from .models import Club, Member


def get_club_for_user(user, code):
    return get_object_or_404(Club.objects.visible_to(user).select_related("commune__parent"), code=code)


def get_member_for_user(user, club_code, pk):
    return get_object_or_404(
        Member.objects.visible_to(user).select_related("club"), club__code=club_code, pk=pk
    )
