"""The province's scorecard for grading clubs (xếp loại, issue 15 point 3): criteria with points, each
tied to one club-level figure of reporting.figures, and the minimum points of each grade. Data, not code:
a default is seeded (migration 0006) and the officer edits it; the history keeps who changed what."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

GRADES_ORDERED = _("Điểm tối thiểu phải giảm dần: Tốt ≥ Khá ≥ Trung bình.")
COMMEND_VALUE_REQUIRED = _("Ghi số CLB đứng đầu hoặc số điểm tối thiểu để đề nghị khen thưởng.")


class ScorecardQuerySet(models.QuerySet):
    def for_year(self, year):
        """The active scorecard applying to `year`: the latest one starting on or before it."""
        return self.filter(active=True, year_from__lte=year).order_by("-year_from", "-pk")


class Scorecard(models.Model):
    class CommendBy(models.TextChoices):
        TOP = "top", _("Các CLB đứng đầu toàn địa bàn (theo thứ hạng)")
        POINTS = "points", _("Các CLB đạt từ số điểm tối thiểu")

    name = models.CharField(_("tên bảng tiêu chí"), max_length=200)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    year_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    min_good = models.PositiveSmallIntegerField(_("điểm tối thiểu loại Tốt"))
    min_fair = models.PositiveSmallIntegerField(_("điểm tối thiểu loại Khá"))
    min_average = models.PositiveSmallIntegerField(_("điểm tối thiểu loại Trung bình"))
    commend_by = models.CharField(_("đề nghị khen thưởng"), max_length=10, choices=CommendBy.choices,
                                  default=CommendBy.TOP)
    commend_value = models.PositiveSmallIntegerField(_("số CLB hoặc số điểm"), default=10)
    history = HistoricalRecords()

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("bảng tiêu chí xếp loại")
        verbose_name_plural = _("bảng tiêu chí xếp loại")
        ordering = ["-year_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_good__gte=models.F("min_fair")) & Q(min_fair__gte=models.F("min_average")),
                name="scorecard_grades_ordered"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if None not in (self.min_good, self.min_fair, self.min_average) and not (
                self.min_good >= self.min_fair >= self.min_average):
            raise ValidationError({"min_fair": ValidationError(GRADES_ORDERED, code="grades_ordered")})
        if not self.commend_value:
            raise ValidationError({"commend_value": ValidationError(COMMEND_VALUE_REQUIRED, code="required")})


class Criterion(models.Model):
    """One line of a scorecard: `points` when the club's figure `figure` passes (with `threshold` for the
    figures that take one; reporting.criteria says what each figure and threshold mean). An inactive
    line is kept for its history and scores nothing."""

    scorecard = models.ForeignKey(Scorecard, models.PROTECT, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    label = models.CharField(_("tiêu chí"), max_length=200)
    figure = models.CharField(_("số liệu"), max_length=40)
    threshold = models.PositiveIntegerField(_("ngưỡng"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("điểm"))
    active = models.BooleanField(_("áp dụng"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí xếp loại")
        verbose_name_plural = _("tiêu chí xếp loại")
        ordering = ["scorecard", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.label}"

    def clean(self):
        from reporting.criteria import criterion_errors  # the figures' list lives with their evaluation

        criterion_errors(self.figure, self.threshold).raise_if_any()
