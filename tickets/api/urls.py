"""Ticket API routes, mounted at /api/v1/."""

from django.urls import path

from . import actions, messages, views

urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="api-tickets"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="api-ticket"),
    path(
        "tickets/<int:pk>/messages/", messages.MessageListView.as_view(), name="api-ticket-messages"
    ),
    path(
        "tickets/<int:pk>/attachments/",
        messages.AttachmentListView.as_view(),
        name="api-ticket-attachments",
    ),
    path("tickets/<int:pk>/assign", actions.AssignView.as_view(), name="api-ticket-assign"),
    path("tickets/<int:pk>/merge", actions.MergeView.as_view(), name="api-ticket-merge"),
    path("tickets/<int:pk>/link", actions.LinkView.as_view(), name="api-ticket-link"),
    path("tickets/<int:pk>/rate", actions.RateView.as_view(), name="api-ticket-rate"),
    path("queues/", actions.QueueListView.as_view(), name="api-queues"),
    path(
        "canned-responses/",
        actions.CannedResponseListView.as_view(),
        name="api-canned-responses",
    ),
]
