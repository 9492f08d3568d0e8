"""Agent desk URLs (no language prefix: agents' language comes from their profile/cookie)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.desk_home, name="desk-home"),
]
