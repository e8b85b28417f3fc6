from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from members.views.joining import captcha_image
from unions.views import home

admin.site.site_header = _("Campaign portal administration")
admin.site.site_title = _("Campaign portal administration")
admin.site.index_title = _("Administration")

# A server error that was the database going away (in a middleware, outside any view) is the 503 page as well.
handler500 = "campaign_portal.middleware.server_error"


def favicon(request):
    # Resolved per request: with the manifest storage the hashed name exists only once static files are collected.
    return redirect(static("portal/favicon.svg"), permanent=True)


urlpatterns = [
    path("", home, name="home"),
    # Browsers ask for /favicon.ico on pages that name none (the admin's): the portal's own icon.
    path("favicon.ico", favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("unions/", include("unions.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("members/", include("members.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("campaign_portal.job_urls")),
    path("admin/", admin.site.urls),
    # The public join form (no account needed), and the pictures of its captcha under the names the captcha
    # package reverses (its keys are 40 hex digits, its probe "dummy"); its audio and refresh views are not used.
    path("join/", include("members.public_urls")),
    re_path(r"^join/captcha/image/(?P<key>\w{1,40})/$", captcha_image, {"scale": 1}, name="captcha-image"),
    re_path(r"^join/captcha/image/(?P<key>\w{1,40})@2/$", captcha_image, {"scale": 2}, name="captcha-image-2x"),
]
