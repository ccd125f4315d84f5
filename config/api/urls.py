from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from config.api.mail import MailDetail, MailFile, MailList
from config.api.tasks import TaskDetail
from config.api.token import TokenView

app_name = "api"

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("mail/", MailList.as_view(), name="mail"),
    path("mail/<str:number>/", MailDetail.as_view(), name="mail-detail"),
    path("mail/<str:number>/original", MailFile.as_view(which="original"), name="mail-original"),
    path("mail/<str:number>/searchable", MailFile.as_view(which="searchable"), name="mail-searchable"),
    path("tasks/<int:task_id>/", TaskDetail.as_view(), name="task"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
