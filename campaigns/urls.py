from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("list/", views.campaign_list, name="campaigns"),
    path("<int:pk>/", views.campaign_board, name="board"),
    path("<int:pk>/copy/", views.campaign_copy, name="campaign_copy"),
    path("<int:pk>/units/", views.campaign_units, name="campaign_units"),
    path("<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("deadlines/<int:deadline>/<str:unit>/", views.report, name="report"),
    path("deadlines/<int:deadline>/<str:unit>/submit/", views.submit, name="submit"),
    path("deadlines/<int:deadline>/<str:unit>/extension/", views.extension, name="extension"),
    path("submissions/<int:pk>/approve/", views.approve, name="approve"),
    path("submissions/<int:pk>/return/", views.return_report, name="return"),
    path("submissions/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
]
