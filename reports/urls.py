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
    path("headquarters/", views.headquarters_page, name="headquarters"),
    path("headquarters.xlsx", views.headquarters_xlsx, name="headquarters_xlsx"),
    path("veto-list/", views.veto_list, name="veto_list"),
    path("veto-list.xlsx", views.veto_list_xlsx, name="veto_list_xlsx"),
]
