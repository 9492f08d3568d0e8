"""Desk URLs of the analytics app: the dashboard and CSV exports."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="analytics-dashboard"),
    path("export/<slug:key>.csv", views.export_csv, name="analytics-export"),
]
