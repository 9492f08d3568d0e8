"""Root URL configuration: the help center under a language prefix, everything else plain."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kb import seo
from kb import views as kb_views

from . import views

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("kb/", include("kb.api_urls")),
    path("search/", include("kb.search_urls")),
    path("chat/", include("chatbot.api_urls")),
    path("", include("tickets.api.urls")),
    path("", include("customers.api_urls")),
    path("mail/", include("mail.api_urls")),
    path("analytics/", include("analytics.api_urls")),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/customers/", include("customers.desk_urls")),
    path("desk/analytics/", include("analytics.urls")),
    path("desk/", include("tickets.desk_urls")),
    path("kb/files/<int:pk>/<str:filename>", kb_views.attachment, name="kb-attachment"),
    path("tickets/files/", include("tickets.file_urls")),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("sitemap.xml", seo.sitemap_xml, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path("", include("tickets.public_urls")),
    path("", include("chatbot.public_urls")),
    path("", include("kb.urls")),
)
