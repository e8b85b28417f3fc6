from django.urls import path

from campaign_portal import job_views

app_name = "jobs"

urlpatterns = [
    path("", job_views.job_list, name="list"),
    path("<uuid:pk>/", job_views.job_detail, name="detail"),
    path("<uuid:pk>/file/", job_views.job_file, name="file"),
    path("<uuid:pk>/rerun/", job_views.job_rerun, name="rerun"),
]
