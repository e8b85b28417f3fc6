from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from unions.views import home

admin.site.site_header = _("Campaign portal administration")
admin.site.site_title = _("Campaign portal administration")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
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
    path("campaigns/", include("campaigns.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
