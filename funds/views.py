from django.shortcuts import render

from clubs.access import get_club_for_user


def fund_overview(request, club_code):
    club = get_club_for_user(request.user, club_code)
    return render(request, "funds/overview.html", {"club": club})
