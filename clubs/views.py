from django.core.paginator import Paginator
from django.shortcuts import render

from .access import get_club_for_user
from .models import Club, staff_of


def home(request):
    staff = staff_of(request.user)
    clubs = Club.objects.visible_to(request.user)
    return render(request, "home.html", {"staff": staff, "club_count": clubs.count()})


def club_list(request):
    clubs = Club.objects.visible_to(request.user).select_related("commune__parent").order_by("code")
    page = Paginator(clubs, 50).get_page(request.GET.get("page"))
    return render(request, "clubs/club_list.html", {"page": page})


def club_detail(request, code):
    club = get_club_for_user(request.user, code)
    return render(request, "clubs/club_detail.html", {"club": club})
