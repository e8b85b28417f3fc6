from django.urls import path

from members.views import rolls

app_name = "members"

urlpatterns = [
    path("", rolls.member_list, name="list"),
]
