"""What the API returns, as pydantic schemas: the OpenAPI document is generated from them."""
import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

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


class ClubOut(Schema):
    """One row of the dashboard's matrix: reporting.figures.ClubFigures."""

    code: str
    name: str
    commune_code: str
    commune_name: str
    district_code: str
    district_name: str
    track: str
    founded_on: datetime.date
    regulation_on: datetime.date | None
    n: int = Field(description="thành viên đang tham gia tại ngày chốt")
    women: int
    older: int
    poor_older: int
    older_women: int
    members_joined: int
    borrowers: int
    size_ok: bool
    women_ok: bool
    older_ok: bool
    composition_ok: bool
    funds_ok: bool
    areas_ok: bool
    borrowers_ok: bool
    well_run: bool
    meetings_ok: bool
    standard_ok: bool
    areas_done: list[int] = Field(description="các mảng hoạt động (1–8) đã làm trong kỳ")
    months_met: list[int] = Field(description="các tháng trong kỳ có sinh hoạt")
    required_months: int
    loans_disbursed_count: int
    loans_disbursed_amount: int
    outstanding_principal: int
    par30_principal: int
    health_sessions: int
    members_checked: int
    older_checked: int
    members_high: int
    volunteers_active: int
    recipients_active: int
    recipients_visited_ok: int
    visits: int

    @field_validator("areas_done", "months_met", mode="before")
    @classmethod
    def _sorted(cls, value):
        return sorted(value)


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
