from __future__ import annotations

from django.urls import path

from config.deposit import views

app_name = "deposit"

urlpatterns = [
    path("", views.deposit_page, name="form"),
    path("recu/<str:number>/", views.receipt, name="receipt"),
    path("suivi/", views.track, name="track"),
]
