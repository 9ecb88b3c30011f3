"""The read-only API for the national roll-up, /api/v1/ (docs/api.md).

Every endpoint reads through the same functions as the pages and the `indicators` command
(reporting.indicators), scoped by the token's account with the pages' querysets (visible_to): a
district token sees its former district, and another district's area or plan is a 404, as on the
pages. Errors are JSON with a Vietnamese `detail`; a bad parameter is a 422, never a 500.
"""
import datetime
from typing import Literal

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.renderers import JSONRenderer

from clubs.models import Area, staff_of
from reporting.forms import as_of_range
from reporting import figure_rows
from reporting.indicators import indicators_json
from reporting.models import Plan, Target

from . import schemas
from .auth import TokenAuth

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# Past any real list; a larger offset would overflow the databases' LIMIT/OFFSET integers.
MAX_OFFSET = 1_000_000
LEVELS = (Area.Level.PROVINCE, Area.Level.DISTRICT, Area.Level.COMMUNE)

NOT_AUTHENTICATED = gettext_lazy(
    "Cần mã truy cập API hợp lệ: gửi tiêu đề “Authorization: Bearer <mã>”. Mã đã thu hồi không còn dùng được.")
NOT_FOUND = gettext_lazy("Không tìm thấy.")
AREA_NOT_FOUND = gettext_lazy("Không tìm thấy địa bàn: %(code)s.")
PLAN_NOT_FOUND = gettext_lazy("Không tìm thấy kế hoạch %(id)s.")
INVALID = gettext_lazy("Tham số không hợp lệ.")
ONE_AREA_ONLY = gettext_lazy("Chỉ chọn một địa bàn: district hoặc commune, không cả hai.")
AS_OF_OUT_OF_RANGE = gettext_lazy("Ngày chốt số liệu phải từ %(min)s đến hôm nay (%(max)s).")
FIELD_MESSAGES = {
    "as_of": gettext_lazy("Ngày không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2025-12-31."),
    "limit": gettext_lazy("limit phải là số nguyên từ 1 đến %(max)s.") % {"max": MAX_LIMIT},
    "offset": gettext_lazy("offset phải là số nguyên từ 0 đến %(max)s.") % {"max": MAX_OFFSET},
    "plan_id": gettext_lazy("Mã kế hoạch phải là số nguyên."),
    "level": gettext_lazy("level phải là province, district hoặc commune."),
}
OTHER_FIELD = gettext_lazy("Giá trị không hợp lệ.")


class Invalid(Exception):
    """A parameter refused by a rule of ours rather than by its type: a 422 like the type errors."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="CLB liên thế hệ tự giúp nhau — Lai Châu",
    version="1",
    description="API chỉ đọc cho tổng hợp toàn quốc: chỉ tiêu, địa bàn, CLB và kế hoạch (docs/api.md).",
    auth=TokenAuth(),
    renderer=Renderer(),
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _response(request, status, detail, errors=None):
    body = {"detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _response(request, 401, NOT_AUTHENTICATED)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    # Our own 404s carry a Vietnamese message; Django's resolver and get_object_or_404 do not.
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) and exc.args[0] else NOT_FOUND
    return _response(request, 404, message)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        field = loc[-1] if loc else ""
        errors.append({"field": field, "message": str(FIELD_MESSAGES.get(field, OTHER_FIELD))})
    return _response(request, 422, INVALID, errors)


@api.exception_handler(Invalid)
def _refused(request, exc):
    return _response(request, 422, exc.message, [{"field": exc.field, "message": str(exc.message)}])


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"số dòng mỗi trang (1–{MAX_LIMIT})")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="bỏ qua bao nhiêu dòng đầu")


class AreaQuery(Schema):
    as_of: datetime.date | None = Field(None, description="ngày chốt số liệu YYYY-MM-DD; mặc định hôm nay")
    district: str | None = Field(None, max_length=20, description="mã huyện cũ (3 chữ số)")
    commune: str | None = Field(None, max_length=20, description="mã xã/phường hiện hành (5 chữ số)")


ERRORS = {401: schemas.Message, 404: schemas.Message, 422: schemas.ValidationMessage}


def _as_of(day):
    """The reference date, within the dashboard's range (reporting.forms.as_of_range)."""
    if day is None:
        return timezone.localdate()
    earliest, latest = as_of_range()
    if not earliest <= day <= latest:
        raise Invalid("as_of", AS_OF_OUT_OF_RANGE % {
            "min": earliest.strftime("%d/%m/%Y"), "max": latest.strftime("%d/%m/%Y")})
    return day


def _club_rows(area, day):
    """The club rows of the dashboard's matrix (reporting.figure_rows.club_rows): the kept per-club rows
    for today and each 31 December, else computed once and cached until the next committed write, so
    a client paging through the clubs of the province, or asking for its indicators next, reads one
    computation instead of one per request."""
    return figure_rows.club_rows(area, day)


def _area(request, query):
    """The area named by district= or commune= among those the token's account sees (its own area
    by default); any other code, another district's included, is the same 404."""
    if query.district and query.commune:
        raise Invalid("district", ONE_AREA_ONLY)
    if not query.district and not query.commune:
        return staff_of(request.user).area
    level, code = (Area.Level.DISTRICT, query.district) if query.district else (Area.Level.COMMUNE, query.commune)
    visible = Area.objects.visible_to(request.user)
    area = visible.filter(level=level, code=code).first()
    if area is None:
        hint = visible.legacy_commune_hint(code) if level == Area.Level.COMMUNE else None
        raise Http404(hint or AREA_NOT_FOUND % {"code": code})
    return area


@api.get("/indicators", response={200: schemas.Indicators, **ERRORS}, tags=["chỉ tiêu"],
         summary="Chỉ tiêu của một địa bàn tại ngày chốt")
def indicators(request, query: Query[AreaQuery]):
    """Exactly the JSON of `manage.py indicators --json` (shared/spec/indicators.md §6) for the
    province, a former district (district=) or a commune (commune=)."""
    area, day = _area(request, query), _as_of(query.as_of)
    return indicators_json(area=area, as_of=day, clubs=_club_rows(area, day))


@api.get("/clubs", response={200: list[schemas.ClubOut], **ERRORS}, tags=["CLB"],
         summary="CLB đang hoạt động của một địa bàn với số liệu từng CLB")
@paginate(Page)
def clubs(request, query: Query[AreaQuery]):
    """The rows of the dashboard's matrix (reporting.figures.ClubFigures), ordered by club code."""
    area, day = _area(request, query), _as_of(query.as_of)
    return list(_club_rows(area, day))


class AreaFilter(Schema):
    level: Literal["province", "district", "commune"] | None = Field(None, description="chỉ một cấp")


@api.get("/areas", response={200: list[schemas.AreaOut], **ERRORS}, tags=["địa bàn"],
         summary="Tỉnh, huyện cũ và xã/phường hiện hành (mã và cấp trên)")
@paginate(Page)
def areas(request, filters: Query[AreaFilter]):
    rank = Case(*(When(level=level, then=Value(i)) for i, level in enumerate(LEVELS)), output_field=IntegerField())
    qs = (Area.objects.visible_to(request.user).filter(level__in=LEVELS).select_related("parent")
          .annotate(rank=rank).order_by("rank", "code"))
    if filters.level:
        qs = qs.filter(level=filters.level)
    return qs


def _plans(request):
    """Plans the account sees, each with the targets of the areas it sees: a district token reads the
    province's own targets and its district's, not those allocated to another district."""
    targets = (Target.objects.filter(Q(area__level=Area.Level.PROVINCE) | Q(area__in=Area.objects.visible_to(request.user)))
               .select_related("area").order_by("indicator", "year", "track", "area__code", "pk"))
    return (Plan.objects.visible_to(request.user).select_related("area")
            .prefetch_related(Prefetch("targets", queryset=targets)).order_by("-start_year", "name", "pk"))


@api.get("/plans", response={200: list[schemas.PlanOut], **ERRORS}, tags=["kế hoạch"],
         summary="Kế hoạch và chỉ tiêu")
@paginate(Page)
def plans(request):
    return _plans(request)


@api.get("/plans/{plan_id}", response={200: schemas.PlanOut, **ERRORS}, tags=["kế hoạch"],
         summary="Một kế hoạch và chỉ tiêu")
def plan(request, plan_id: int = Path(..., ge=1, le=2**31 - 1)):
    found = _plans(request).filter(pk=plan_id).first()
    if found is None:
        raise Http404(PLAN_NOT_FOUND % {"id": plan_id})
    return found

