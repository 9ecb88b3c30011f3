"""What the API returns, as pydantic schemas: the OpenAPI document is generated from them."""
import dataclasses
import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import create_model, field_validator

from reporting.figures import ClubFigures
from reporting.plans import INDICATOR_LABELS


class Message(Schema):
    detail: str = Field(description="Thông báo lỗi (tiếng Việt)")


class FieldError(Schema):
    field: str
    message: str


class ValidationMessage(Schema):
    detail: str
    errors: list[FieldError]


class AreaRef(Schema):
    level: str
    code: str


class AreaOut(Schema):
    level: str = Field(description="province, district (huyện cũ) hoặc commune (xã/phường hiện hành)")
    code: str
    name: str
    kind: str
    parent: AreaRef | None


# The descriptions (and JSON types) of ClubFigures fields that the dataclass does not say itself.
_CLUB_FIELDS = {
    "n": (int, Field(description="thành viên đang tham gia tại ngày chốt")),
    "areas_done": (list[int], Field(description="các mảng hoạt động (1–8) đã làm trong kỳ")),
    "months_met": (list[int], Field(description="các tháng trong kỳ có sinh hoạt")),
}


class _ClubBase(Schema):
    @field_validator("areas_done", "months_met", mode="before", check_fields=False)
    @classmethod
    def _sorted(cls, value):
        return sorted(value)


# One row of the dashboard's matrix: every field of reporting.figures.ClubFigures, derived from the
# dataclass so that a figure added there is in the API (and its OpenAPI schema) too.
ClubOut = create_model(
    "ClubOut",
    __base__=_ClubBase,
    __doc__="One row of the dashboard's matrix: reporting.figures.ClubFigures.",
    **{f.name: _CLUB_FIELDS.get(f.name, (f.type, ...)) for f in dataclasses.fields(ClubFigures)},
)


class TargetOut(Schema):
    indicator: str
    label: str
    track: str
    kind: str
    year: int | None
    unit: str
    value: int | None = Field(description="null: chưa giao")
    area: AreaRef

    @staticmethod
    def resolve_label(obj):
        return str(INDICATOR_LABELS.get(obj.indicator, obj.indicator))


class PlanOut(Schema):
    id: int
    name: str
    legal_reference: str
    issued_by: str
    issued_on: datetime.date | None
    start_year: int
    end_year: int
    area: AreaRef
    targets: list[TargetOut]


Indicators = dict[str, Any]
