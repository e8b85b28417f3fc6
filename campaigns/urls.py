from django.urls import path

from campaigns.views import acceptance, attachments, board, extensions, letters, members, practices, report, tasks

app_name = "campaigns"

urlpatterns = [
    path("", tasks.task_list, name="tasks"),
    path("notifications/", tasks.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", tasks.notification_open, name="notification_open"),
    path("notifications/read/", tasks.notifications_read_all, name="notifications_read_all"),
    path("list/", board.campaign_list, name="campaigns"),
    path("practices/", practices.practice_list, name="practices"),
    path("practices/<int:pk>/mark/", practices.practice_mark, name="practice_mark"),
    path("practices/<int:pk>/unmark/", practices.practice_unmark, name="practice_unmark"),
    path("<int:pk>/", board.campaign_board, name="board"),
    path("<int:pk>/copy/", board.campaign_copy, name="campaign_copy"),
    path("<int:pk>/units/", board.campaign_units, name="campaign_units"),
    path("<int:pk>/targets/", board.campaign_targets, name="campaign_targets"),
    path("<int:pk>/baselines/", members.member_baselines, name="member_baselines"),
    path("<int:pk>/acceptance/", acceptance.acceptance_list, name="acceptances"),
    path("<int:pk>/acceptance/<str:unit>/", acceptance.acceptance, name="acceptance"),
    path("<int:pk>/acceptance/<str:unit>/approve/", acceptance.acceptance_approve, name="acceptance_approve"),
    path("<int:pk>/units/<str:unit>/eighty/", members.member_eighty, name="member_eighty"),
    path("deadlines/<int:deadline>/<str:unit>/", report.report, name="report"),
    path("deadlines/<int:deadline>/<str:unit>/submit/", report.submit, name="submit"),
    path("deadlines/<int:deadline>/<str:unit>/extension/", extensions.extension, name="extension"),
    path(
        "deadlines/<int:deadline>/<str:unit>/extension-request/",
        extensions.extension_request,
        name="extension_request",
    ),
    path("deadlines/<int:deadline>/<str:unit>/attachments/", attachments.attachment_add, name="attachment_add"),
    path("extension-requests/<int:pk>/", extensions.extension_decide, name="extension_decide"),
    path("submissions/<int:pk>/approve/", report.approve, name="approve"),
    path("submissions/<int:pk>/return/", report.return_report, name="return"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachments.attachment_delete, name="attachment_delete"),
    path("cases/<int:pk>/letters/new/", letters.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/", letters.letter_download, name="letter_download"),
]
