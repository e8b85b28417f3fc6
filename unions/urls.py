from django.urls import path

from unions import views

app_name = "unions"

urlpatterns = [
    path("", views.directory, name="directory"),
    # Before the unit pages: no union code is spelt like this.
    path("eight-haves/", views.eight_haves_overview, name="eight_haves_overview"),
    path("<str:code>/", views.org_detail, name="detail"),
    path("<str:code>/edit/", views.org_edit, name="edit"),
    path("<str:code>/grassroots/new/", views.grassroots_create, name="grassroots_create"),
    path("<str:code>/eight-haves/", views.eight_haves, name="eight_haves"),
    path("<str:code>/eight-haves/<str:item>/", views.eight_haves_item, name="eight_haves_assess"),
    path("<str:code>/eight-haves/<str:item>/file/", views.eight_haves_file, name="eight_haves_file"),
]
