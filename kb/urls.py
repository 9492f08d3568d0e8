"""Public help-center URLs (mounted under a language prefix)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("categories/<slug:slug>/", views.category_detail, name="kb-category"),
    path("categories/<slug:category>/<slug:slug>/", views.section_detail, name="kb-section"),
    path("articles/<int:pk>/", views.article_detail, name="kb-article-short"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="kb-article"),
    path("articles/<int:pk>/vote", views.article_vote, name="kb-vote"),
    path("faq/", views.faq_list, name="kb-faq"),
    path("search/", views.search_page, name="kb-search"),
    path("search/go/<str:search_id>/<str:kind>/<int:pk>/", views.search_click, name="kb-search-go"),
    path("faq/<int:pk>/", views.faq_detail, name="kb-faq-detail"),
]
