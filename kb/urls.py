"""Public help-center URLs (mounted under a language prefix)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
