"""The public join pages (网上入会), mounted at /join/: no account needed."""

from django.urls import path

from members.views import join_status, joining, public

app_name = "join"

urlpatterns = [
    path("", joining.apply, name="apply"),
    path("sent/", joining.receipt, name="receipt"),
    path("employers/", joining.employers, name="employers"),
    path("townships/", joining.townships, name="townships"),
    path("captcha/new/", joining.captcha_refresh, name="captcha-refresh"),
    path("status/", join_status.status, name="status"),
    path("status/correct/", join_status.correct, name="correct"),
    path("language/<str:code>/", public.language_switch, name="language"),
]
