from django.urls import path

from members.views import applications, files, rolls, transfers

app_name = "members"

urlpatterns = [
    path("", rolls.member_list, name="list"),
    path("search/", rolls.member_search, name="search"),
    path("new/", rolls.member_create, name="create"),
    path("<int:pk>/", rolls.member_detail, name="detail"),
    path("<int:pk>/edit/", rolls.member_edit, name="edit"),
    path("<int:pk>/reveal/", rolls.member_reveal, name="reveal"),
    path("memberships/<int:pk>/edit/", rolls.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/status/", rolls.membership_status, name="membership_status"),
    path("unions/<str:code>/", rolls.union_members, name="union"),
    path("enterprises/<int:pk>/", rolls.enterprise_members, name="enterprise"),
    path("export/", files.member_export, name="export"),
    path("export/full/", files.member_export_full, name="export_full"),
    path("import/", files.import_start, name="import"),
    path("import/template/", files.import_template, name="import_template"),
    path("import/<int:pk>/", files.import_preview, name="import_preview"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/accept/", applications.application_accept, name="application_accept"),
    path("applications/<int:pk>/return/", applications.application_return, name="application_return"),
    path("applications/<int:pk>/reject/", applications.application_reject, name="application_reject"),
    path("applications/<int:pk>/reveal/", applications.application_reveal, name="application_reveal"),
    path("transfers/out/", transfers.transfers_out, name="transfers_out"),
    path("transfers/in/", transfers.transfers_in, name="transfers_in"),
    path("transfers/receive/", transfers.transfer_receive, name="transfer_receive"),
    path("transfers/issue/<int:pk>/", transfers.transfer_issue, name="transfer_issue"),
    path("transfers/<int:pk>/", transfers.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/document/", transfers.transfer_document_download, name="transfer_document"),
    path("transfers/<int:pk>/cancel/", transfers.transfer_cancel, name="transfer_cancel"),
]
