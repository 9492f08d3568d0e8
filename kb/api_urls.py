"""Knowledge-base API routes, mounted at /api/v1/kb/."""

from django.urls import path

from . import api

urlpatterns = [
    path("categories/", api.CategoryListView.as_view(), name="kb-api-categories"),
    path("categories/<slug:slug>/", api.CategoryDetailView.as_view(), name="kb-api-category"),
    path("articles/", api.ArticleListView.as_view(), name="kb-api-articles"),
    path("articles/<int:group_id>/", api.ArticleDetailView.as_view(), name="kb-api-article"),
    path("articles/<int:group_id>/votes", api.ArticleVoteView.as_view(), name="kb-api-votes"),
    path("faqs/", api.FaqListView.as_view(), name="kb-api-faqs"),
    path("staff/articles", api.StaffArticleCreateView.as_view(), name="kb-api-staff-articles"),
    path("staff/articles/<int:pk>", api.StaffArticleView.as_view(), name="kb-api-staff-article"),
    path(
        "staff/articles/<int:pk>/publish",
        api.ArticlePublishView.as_view(),
        name="kb-api-staff-article-publish",
    ),
    path(
        "staff/articles/<int:pk>/unpublish",
        api.ArticleUnpublishView.as_view(),
        name="kb-api-staff-article-unpublish",
    ),
    path(
        "staff/articles/<int:pk>/archive",
        api.ArticleArchiveView.as_view(),
        name="kb-api-staff-article-archive",
    ),
    path(
        "staff/articles/<int:pk>/revisions",
        api.ArticleRevisionListView.as_view(),
        name="kb-api-staff-article-revisions",
    ),
    path(
        "staff/articles/<int:pk>/revisions/<int:number>/restore",
        api.ArticleRevisionRestoreView.as_view(),
        name="kb-api-staff-article-restore",
    ),
    path(
        "staff/articles/<int:pk>/translations",
        api.ArticleTranslationCreateView.as_view(),
        name="kb-api-staff-article-translations",
    ),
    path("staff/faqs", api.StaffFaqCreateView.as_view(), name="kb-api-staff-faqs"),
    path("staff/faqs/<int:pk>", api.StaffFaqUpdateView.as_view(), name="kb-api-staff-faq"),
    path(
        "staff/faqs/<int:pk>/publish",
        api.FaqPublishView.as_view(),
        name="kb-api-staff-faq-publish",
    ),
    path(
        "staff/faqs/<int:pk>/unpublish",
        api.FaqUnpublishView.as_view(),
        name="kb-api-staff-faq-unpublish",
    ),
]
