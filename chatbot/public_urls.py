"""Public chatbot pages under the language prefix: guided troubleshooters."""

from django.urls import path

from . import guides

urlpatterns = [
    path("guides/", guides.guide_list, name="guide-list"),
    path("guides/<slug:slug>/", guides.guide_step, name="guide-step"),
    path("guides/<slug:slug>/back", guides.guide_back, name="guide-back"),
    path("guides/<slug:slug>/restart", guides.guide_restart, name="guide-restart"),
    path("guides/<slug:slug>/contact", guides.guide_contact, name="guide-contact"),
]
