"""A club's health sessions, the fast entry page and a member's readings. Who may open what is the
clubs access helper's: district staff their district, officers all, anyone else a 404."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clubs.access import get_club_for_user, get_member_for_user
from clubs.collation import vi_order
from clubs.services import today

from . import services
from .forms import HealthSessionForm
from .models import HealthCheck, HealthSession, Visit
from .reads import high_q, needing_follow_up
from .rules import decimal_text

SESSIONS_PER_PAGE = 30
MEMBER_VISITS_SHOWN = 20  # the latest; the care period's page lists them all
HIGH = high_q("checks__")


def club_health(request, club_code):
    club = get_club_for_user(request.user, club_code)
    kept = Q(checks__removed=False)
    sessions = club.health_sessions.annotate(
        checked=Count("checks", filter=kept), high=Count("checks", filter=kept & HIGH)).order_by("-date", "-pk")
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    on = today()
    watch = needing_follow_up(club.members.active(on=on), on=on).order_by("-latest_on", vi_order("full_name"))
    return render(request, "care/club_health.html", {"club": club, "page": page, "watch": watch, "on": on})


def _candidates(club, on, session):
    """The rows of the page: the club's members active on the session's date, and whoever the session
    already holds (so a correction shows them, and the service says if they no longer fit)."""
    active = club.members.active(on=on)
    if session is not None:
        active = club.members.filter(Q(pk__in=active.values("pk")) | Q(
            pk__in=session.checks.kept().values("member_id")))
    return active.order_by(vi_order("full_name"), "pk")


def _session_form(request, club, session=None):
    if session is not None:
        on = session.date
        initial = {"on": on, "kind": session.kind, "organiser": session.organiser, "note": session.note}
        for c in session.checks.kept():
            initial[f"m{c.member_id}"] = True
            initial[f"bp{c.member_id}"] = c.blood_pressure
            initial[f"w{c.member_id}"] = decimal_text(c.weight) if c.weight is not None else ""
    else:
        on = today()
        initial = {"on": on, "kind": HealthSession.Kind.MONTHLY}
    if request.method == "POST":
        # The rows follow the date typed, when it reads as one, so a past session lists who was a member then.
        probe = HealthSessionForm({"on": request.POST.get("on", "")}, members=[])
        if probe.is_valid() and probe.cleaned_data["on"]:
            on = probe.cleaned_data["on"]
    form = HealthSessionForm(request.POST or None, members=_candidates(club, on, session), initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        values = form.session_values()
        try:
            if valid:
                saved = services.health_session_save(user=request.user, club=club, session=session, **values)
            else:
                services.health_session_check(club=club, session=session, **values)
        except ValidationError as exc:
            form.add_service_errors(exc, skip_filled=not valid)
        else:
            if valid:
                messages.success(request, _("Đã lưu buổi khám/đo sức khỏe ngày %(date)s.")
                                 % {"date": saved.date.strftime("%d/%m/%Y")})
                return redirect("care:club", club.code)
    return render(request, "care/session_form.html", {"club": club, "form": form, "session": session})


def session_add(request, club_code):
    return _session_form(request, get_club_for_user(request.user, club_code))


def session_edit(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    return _session_form(request, club, get_object_or_404(HealthSession, club=club, pk=pk))


def member_health(request, club_code, pk):
    member = get_member_for_user(request.user, club_code, pk)
    checks = (HealthCheck.objects.kept().filter(member=member).select_related("session")
              .order_by("-session__date", "-pk"))
    page = Paginator(checks, 50).get_page(request.GET.get("page"))
    last = page[0] if page.number == 1 and page else checks.first()
    cares = member.care_periods.prefetch_related("volunteers").order_by("-started_on", "-pk")
    visits = (Visit.objects.kept().filter(care__member=member).select_related("volunteer")
              .order_by("-date", "-pk")[:MEMBER_VISITS_SHOWN])
    return render(request, "care/member_health.html", {"club": member.club, "member": member, "page": page,
                                                       "last": last, "cares": cares, "visits": visits})
