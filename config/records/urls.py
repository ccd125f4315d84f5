from __future__ import annotations

from django.urls import path

from config.records import views

app_name = "records"

urlpatterns = [
    path("", views.lists_page, name="lists"),
    path("<int:list_id>/", views.list_page, name="list"),
    path("<int:list_id>/review", views.review, name="review"),
    path("<int:list_id>/approve", views.approve, name="approve"),
    path("<int:list_id>/reject", views.reject, name="reject"),
    path("<int:list_id>/execute", views.execute, name="execute"),
    path("<int:list_id>/certificate.pdf", views.certificate, name="certificate"),
]
