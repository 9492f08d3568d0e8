"""Customer-facing ticket URLs under the language prefix: contact form and portal."""

from django.urls import path

from .views import contact, portal

urlpatterns = [
    path("contact/", contact.contact, name="contact"),
    path("contact/sent/", contact.contact_sent, name="contact-sent"),
    path("portal/", portal.portal_home, name="portal-home"),
    path("portal/tickets/<int:pk>/", portal.portal_ticket, name="portal-ticket"),
    path("portal/tickets/<int:pk>/solve", portal.portal_ticket_solve, name="portal-ticket-solve"),
    path("portal/tickets/<int:pk>/rate", portal.portal_ticket_rate, name="portal-ticket-rate"),
    path("portal/t/<str:token>/", portal.portal_ticket_link, name="portal-ticket-link"),
    path("portal/link/", portal.portal_link_request, name="portal-link-request"),
]
