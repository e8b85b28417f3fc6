from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export/", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/delete/", views.enterprise_delete, name="delete"),
    path("import/", views.import_start, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("grassroots-import/", views.grassroots_import, name="grassroots_import"),
    path("grassroots-import/template/", views.grassroots_import_template_download, name="grassroots_import_template"),
    path("unions/<str:code>/coverage/", views.union_coverage, name="union_coverage"),
    path("unions/<str:code>/consistency/", views.unit_consistency, name="unit_consistency"),
    path("coverage/<int:pk>/end/", views.coverage_end, name="coverage_end"),
    path("tallies/recount/", views.tallies_recount, name="tallies_recount"),
]
