from django.urls import path

from . import approval_views, completeness_views, grading_views, report_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("completeness/", completeness_views.completeness, name="completeness"),
    path("completeness/year/", completeness_views.completeness_year, name="completeness_year"),
    path("approvals/", approval_views.approval_list, name="approvals"),
    path("approvals/<int:pk>/reopen/", approval_views.approval_reopen, name="approval_reopen"),
    path("grading/", grading_views.grading_page, name="grading"),
    path("grading/candidates/", grading_views.candidates_page, name="grading_candidates"),
    path("grading/scorecard/", grading_views.scorecard_page, name="scorecard"),
    path("grading/scorecard/<int:pk>/edit/", grading_views.scorecard_edit, name="scorecard_edit"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/allocation/", views.plan_allocation, name="plan_allocation"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/new/", report_views.report_new, name="report_new"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/generate/", report_views.report_generate, name="report_generate"),
    path("reports/<int:pk>/preview.pdf", report_views.report_preview, name="report_preview"),
    path("reports/<int:pk>/v<int:number>.<str:kind>", report_views.report_download, name="report_download"),
]
