from functools import cache, partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Q, When
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import cache as generations
from . import checks, page_cache, page_rows, services
from .access import get_club_for_user, get_member_for_user
from .page_rows import ROLE_ORDER
from .paging import query_string
from .checks import Composition
from .collation import vi_order
from .formatting import format_percent, percent_1dp
from .filters import ClubFilterForm
from .forms import (
    ETHNICITIES, BoardEndForm, BoardForm, ClubForm, DissolveForm, LeaveForm, MemberForm, OnDateForm,
)
from .fields import run_check
from .history import club_history, member_history
from .models import OLDER_AGE, ActivityArea, BoardMembership, Club, Member, staff_of
from .search import matching

CLUBS_PER_PAGE = 50
# Chair first, then vice-chair, secretary, treasurer, accountant, other members: the order of a minute book.

MEMBERS_PER_PAGE = 100


def home(request):
    staff = staff_of(request.user)
    clubs = Club.objects.visible_to(request.user)
    return render(request, "home.html", {"staff": staff, "club_count": clubs.count()})


def _saved(request, form, save, message, check=None):
    """On a valid POST hand the form's data to a service: its result once saved (with `message` shown),
    None with the service's errors put next to the fields. On an invalid one, `check` (the service's
    rules without saving) adds its messages to the form's, so the user sees every error at once."""
    if request.method != "POST":
        return None
    if not form.is_valid():
        if check is not None:
            run_check(form, check)
        return None
    try:
        result = save(**form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    messages.success(request, message)
    return result


# ---------------------------------------------------------------- clubs


def club_list(request):
    on = services.today()

    # The filter form is made when something reads it: a filter asked for, or its rendering, which is
    # kept ({% memo filters %}). The list as it opens asks for no filter: making the form (its fields
    # copied, its choices' querysets, its messages) was a twentieth of rendering the page afresh.
    form = cache(partial(ClubFilterForm, request.GET or None, user=request.user))

    @cache
    def listed():
        """The page, found only when the body is not kept as it is (page_cache.body)."""
        clubs = Club.objects.visible_to(request.user).order_by("code")
        if ClubFilterForm.asked(request.GET):
            clubs = form().filter(clubs, on=on)
        page = Paginator(clubs, CLUBS_PER_PAGE).get_page(request.GET.get("page"))
        return page, list(page.object_list.values_list("pk", flat=True))

    def shows():
        # Which clubs the page shows and how many match: two narrow queries, without the member counts.
        # (One query with COUNT(*) OVER () took longer: the window reads every matching row, where the
        # page alone stops at 50 on the code's index; 2.6 ms against 0.7 + 0.3 ms at 6,000 clubs.)
        page, ids = listed()
        return ids, page.paginator.count

    def listing():
        page, ids = listed()
        # The rows' query is built and compiled once per process for 50 clubs (clubs.compiled): building
        # the member counts' subqueries and compiling them took more than the database took to run them.
        found = page_rows.listed(on, ids)
        # Each row is rendered once per process for the same values (the club list's {% memo %}): all
        # that the row shows of the club, and nothing else.
        rows = [(club, Composition(club.n, club.women, club.older), values)
                for values in found for club in [page_rows.ListedClub(*values)]]
        # The filters are rendered once per process for the same choices and values (their {% memo %}):
        # what the viewer may choose from (their scope, the areas as the wide generation has them) and
        # what was asked. Listing every commune and district was a fifth of rendering the page.
        filters = (page_cache.scope(request.user), generations.generation(generations.WIDE),
                   *(tuple(request.GET.getlist(name)) for name in ClubFilterForm.base_fields))
        return render_to_string("clubs/club_list.html#listing", {
            "page": page, "rows": rows, "form": form, "filters": filters, "on": on,
            "query_string": query_string(request), "total": page.paginator.count,
        }, request=request)

    html = page_cache.body("club_list", user=request.user, vary=(on, request.GET.urlencode()), shows=shows,
                           render=listing)
    return render(request, "clubs/club_list.html", {"listing": html})


def club_create(request):
    form = ClubForm(request.POST or None, user=request.user)
    if request.method == "POST" and not form.is_valid():
        run_check(form, services.club_check, user=request.user)
    elif request.method == "POST":
        try:
            club = services.club_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Đã tạo CLB %(code)s.") % {"code": club.code})
            return redirect("clubs:detail", club.code)
    return render(request, "clubs/club_form.html", {"form": form, "club": None})


def club_edit(request, code):
    club = get_club_for_user(request.user, code)
    form = ClubForm(request.POST or None, instance=club, user=request.user)
    update = partial(services.club_update, user=request.user, club=club)
    check = partial(services.club_check, user=request.user, club=club)
    if saved := _saved(request, form, update, _("Đã lưu thông tin CLB."), check=check):
        return redirect("clubs:detail", saved.code)  # the code itself may have been corrected
    return render(request, "clubs/club_form.html", {"form": form, "club": club})


def club_dissolve(request, code):
    club = get_club_for_user(request.user, code)
    form = DissolveForm(request.POST or None)
    def dissolve(*, dissolved_on, dissolution_reason):
        return services.club_dissolve(user=request.user, club=club, dissolved_on=dissolved_on, reason=dissolution_reason)

    if _saved(request, form, dissolve, _("Đã ghi nhận CLB giải thể.")):
        return redirect("clubs:detail", club.code)
    return render(request, "clubs/club_dissolve.html", {"form": form, "club": club})


def percent(part, n):
    """'65,5%': one decimal, rounded half up in integers (indicators.md §5), so 69,6% never shows as 70%."""
    return format_percent(percent_1dp(part, n))


def _calendar(club, year):
    """{month: {area: count}} for the year, in one query."""
    return page_rows.calendar_grid(club.activities.by_month_and_area(year))


def club_detail(request, code):
    club = get_club_for_user(request.user, code)
    html = page_cache.body("club_detail", user=request.user, shows=lambda: ([club.pk],),
                           vary=(club.pk, services.today(), request.GET.urlencode()),
                           render=partial(_club_overview, request, club))
    return render(request, "clubs/club_detail.html", {"club": club, "overview": html})


def _club_overview(request, club):
    date_form, on = OnDateForm.from_request(request)
    found = page_rows.overview(on, request.user, club)
    composition = Composition(*found["counts"][0])
    done = {area for (area,) in found["areas"]}
    context = {
        "club": club,
        "on": on,
        "date_form": date_form,
        "composition": composition,
        "shortfalls": composition.shortfalls(),
        "women_pct": percent(composition.women, composition.n),
        "older_pct": percent(composition.older, composition.n),
        "areas": [(area, area.value in done) for area in ActivityArea],
        "areas_ok": checks.areas_ok(len(done), composition.n),
        "areas_done_count": len(done),
        "board": [page_rows.Seat(*row) for row in found["board"]],
        "source_club": next((page_rows.RotatedClub(*row) for row in found["source"]), None),
        "rotated_clubs": [page_rows.RotatedClub(*row) for row in found["rotated"]],
        "calendar": (calendar := page_rows.calendar_grid(found["calendar"])),
        # All that the calendar shows, for its {% memo %}: a page after a write to one club renders it once.
        "calendar_values": (club.code, on.year, *(tuple(n for _area, n in row["cells"]) for row in calendar)),
        "year": on.year,
        "recent_meetings": [page_rows.RecentMeeting(*row) for row in found["meetings"]],
    }
    return render_to_string("clubs/club_detail.html#overview", context, request=request)


# ---------------------------------------------------------------- members


def member_list(request, code):
    club = get_club_for_user(request.user, code)
    on = services.today()
    status = request.GET.get("status", "active")
    members = club.members.order_by("code")
    if status == "active":
        members = members.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    elif status == "left":
        members = members.filter(left_on__lte=on)
    q = request.GET.get("q", "").strip()
    if q:
        members = members.filter(matching(q) | Q(code__iexact=q))
    members = members.prefetch_related(
        Prefetch("board_roles", queryset=BoardMembership.objects.filter(ended_on__isnull=True), to_attr="open_roles")
    )
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(m, m.age_on(on)) for m in page]
    return render(request, "clubs/member_list.html", {
        "club": club, "page": page, "rows": rows, "status": status, "q": q, "on": on,
        "query_string": query_string(request),
    })


def member_register_print(request, code):
    """The member register (sổ thành viên) on A4: who is a member on the chosen day (default today,
    MemberQuerySet.active, the indicators' rule), with a blank column for each to sign."""
    club = get_club_for_user(request.user, code)
    form, on = OnDateForm.from_request(request)
    members = list(club.members.active(on=on).order_by("code", "pk"))
    rows = [(m, m.age_on(on) >= OLDER_AGE, m.gender == Member.Gender.FEMALE) for m in members]
    return render(request, "clubs/print/members.html", {
        "club": club, "district": club.commune.district if club.commune else None, "form": form, "on": on,
        "book_title": _("Sổ thành viên"), "rows": rows,
        "women": sum(1 for r in rows if r[2]), "older": sum(1 for r in rows if r[1]),
    })


def _member_form_view(request, club, member=None):
    initial = {}
    if member is None:
        initial = {"code": _next_member_code(club), "village": club.village, "joined_on": services.today()}
    form = MemberForm(request.POST or None, instance=member, initial=initial)
    duplicates = None
    if request.method == "POST" and not form.is_valid():
        run_check(form, services.member_check, user=request.user, club=club, member=member)
    elif request.method == "POST":
        try:
            if member is None:
                saved = services.member_add(user=request.user, club=club, **form.cleaned_data)
            else:
                saved = services.member_update(user=request.user, member=member, **form.cleaned_data)
        except services.LikelyDuplicate as exc:
            duplicates = exc.messages[0]
            form.show_duplicate_confirmation()
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Đã lưu thành viên %(name)s.") % {"name": saved.full_name})
            if "add_another" in request.POST:
                return redirect("clubs:member_add", club.code)
            return redirect("clubs:members", club.code)
    return render(request, "clubs/member_form.html", {
        "club": club, "form": form, "member": member, "duplicates": duplicates, "ethnicities": ETHNICITIES,
        "history": member_history(member) if member else None,
    })


def _next_member_code(club):
    codes = club.members.values_list("code", flat=True)
    numbers = [int(c[2:]) for c in codes if c.startswith("TV") and c[2:].isdigit()]
    return f"TV{(max(numbers, default=0) + 1):03d}"


def member_add(request, code):
    club = get_club_for_user(request.user, code)
    return _member_form_view(request, club)


def member_edit(request, code, pk):
    member = get_member_for_user(request.user, code, pk)
    return _member_form_view(request, member.club, member)


def member_leave(request, code, pk):
    member = get_member_for_user(request.user, code, pk)
    form = LeaveForm(request.POST or None)
    message = _("Đã ghi nhận %(name)s rời CLB.") % {"name": member.full_name}
    if _saved(request, form, partial(services.member_leave, user=request.user, member=member), message):
        return redirect("clubs:members", member.club.code)
    return render(request, "clubs/member_leave.html", {"club": member.club, "member": member, "form": form})


def member_search(request):
    """Members anywhere in the user's area, by name without diacritics."""
    q = request.GET.get("q", "").strip()
    members = Member.objects.none()
    if q:
        members = (
            Member.objects.visible_to(request.user).filter(matching(q))
            .select_related("club__commune").order_by(vi_order("full_name"), "club__code")
        )
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "clubs/member_search.html", {"page": page, "q": q, "query_string": query_string(request)})


# ---------------------------------------------------------------- board


def board(request, code):
    club = get_club_for_user(request.user, code)
    form = BoardForm(request.POST or None, club=club)
    if _saved(request, form, partial(services.board_assign, user=request.user, club=club), _("Đã cập nhật Ban chủ nhiệm."),
              check=partial(services.board_check, club=club)):
        return redirect("clubs:board", club.code)
    form.offer_confirmations()
    seats = club.board.select_related("member").order_by(
        Case(When(ended_on__isnull=True, then=0), default=1), ROLE_ORDER, "-started_on"
    )
    return render(request, "clubs/board.html", {"club": club, "form": form, "seats": seats})


def board_end(request, code, pk):
    club = get_club_for_user(request.user, code)
    seat = get_object_or_404(club.board.select_related("member"), pk=pk)
    form = BoardEndForm(request.POST or None)
    if _saved(request, form, partial(services.board_end, user=request.user, seat=seat), _("Đã ghi nhận thôi nhiệm vụ.")):
        return redirect("clubs:board", club.code)
    return render(request, "clubs/board_end.html", {"club": club, "seat": seat, "form": form})


# ---------------------------------------------------------------- history


def history(request, code):
    club = get_club_for_user(request.user, code)
    entries = club_history(club)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "clubs/history.html", {"club": club, "page": page})
