from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("members/", views.members_dashboard, name="members_dashboard"),
    path("members/form.xlsx", views.members_form, name="members_form"),
    path("dashboard/summary.xlsx", views.dashboard_summary, name="dashboard_summary"),
    path("briefing/", views.briefing_page, name="briefing"),
    path("briefing.docx", views.briefing_docx, name="briefing_docx"),
    path("practices/booklet.docx", views.practices_booklet, name="practices_booklet"),
]
