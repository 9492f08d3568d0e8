"""Agent desk URLs (no language prefix: agents' language comes from their profile/cookie)."""

from django.urls import path

from .views import desk, desk_routing, desk_ticket

urlpatterns = [
    path("", desk.desk_home, name="desk-home"),
    path("bulk/", desk.desk_bulk, name="desk-bulk"),
    path("views/", desk.desk_view_counts, name="desk-view-counts"),
    path("availability/", desk_routing.desk_availability, name="desk-availability"),
    path("tickets/<int:pk>/macro/", desk_routing.desk_ticket_macro, name="desk-ticket-macro"),
    path("tickets/<int:pk>/", desk_ticket.desk_ticket, name="desk-ticket"),
    path("tickets/<int:pk>/reply/", desk_ticket.desk_ticket_reply, name="desk-ticket-reply"),
    path("tickets/<int:pk>/fields/", desk_ticket.desk_ticket_fields, name="desk-ticket-fields"),
    path("tickets/<int:pk>/take/", desk_ticket.desk_ticket_take, name="desk-ticket-take"),
    path("tickets/<int:pk>/merge/", desk_ticket.desk_ticket_merge, name="desk-ticket-merge"),
    path("tickets/<int:pk>/link/", desk_ticket.desk_ticket_link, name="desk-ticket-link"),
    path(
        "tickets/<int:pk>/presence/",
        desk_ticket.desk_ticket_presence,
        name="desk-ticket-presence",
    ),
]
