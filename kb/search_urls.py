"""Search API URLs, under /api/v1/search/."""

from django.urls import path

from .search_api import SuggestView

urlpatterns = [
    path("suggest", SuggestView.as_view(), name="api-search-suggest"),
]
