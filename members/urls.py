from django.urls import path

from members.views import files, rolls

app_name = "members"

urlpatterns = [
    path("", rolls.member_list, name="list"),
    path("export/", files.member_export, name="export"),
    path("export/full/", files.member_export_full, name="export_full"),
    path("import/", files.import_start, name="import"),
    path("import/template/", files.import_template, name="import_template"),
    path("import/<int:pk>/", files.import_preview, name="import_preview"),
]
