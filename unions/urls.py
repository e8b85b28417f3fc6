from django.urls import path

from unions import views

app_name = "unions"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:code>/", views.org_detail, name="detail"),
    path("<str:code>/edit/", views.org_edit, name="edit"),
    path("<str:code>/grassroots/new/", views.grassroots_create, name="grassroots_create"),
]
