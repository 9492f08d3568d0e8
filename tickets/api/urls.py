"""Ticket API routes, mounted at /api/v1/."""

from django.urls import path

from . import actions, config, messages, views

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
    path("calendars/", config.CalendarList.as_view(), name="api-calendars"),
    path("calendars/<int:pk>/", config.CalendarDetail.as_view(), name="api-calendar"),
    path("sla-policies/", config.SlaPolicyList.as_view(), name="api-sla-policies"),
    path("sla-policies/<int:pk>/", config.SlaPolicyDetail.as_view(), name="api-sla-policy"),
    path("automations/", config.AutomationList.as_view(), name="api-automations"),
    path("automations/<int:pk>/", config.AutomationDetail.as_view(), name="api-automation"),
    path(
        "automations/<int:pk>/preview",
        config.AutomationPreview.as_view(),
        name="api-automation-preview",
    ),
    path("webhooks/", config.WebhookList.as_view(), name="api-webhooks"),
    path("webhooks/<int:pk>/", config.WebhookDetail.as_view(), name="api-webhook"),
    path(
        "webhooks/<int:pk>/deliveries/",
        config.WebhookDeliveryList.as_view(),
        name="api-webhook-deliveries",
    ),
    path("queues/<int:pk>/routing", config.QueueRouting.as_view(), name="api-queue-routing"),
    path("agents/me/status", config.MyAgentStatus.as_view(), name="api-agent-status"),
    path("macros/", config.MacroList.as_view(), name="api-macros"),
    path("admin/macros/", config.MacroAdminList.as_view(), name="api-admin-macros"),
    path("admin/macros/<int:pk>/", config.MacroAdminDetail.as_view(), name="api-admin-macro"),
    path(
        "tickets/<int:pk>/macros/<int:macro_id>/apply",
        config.MacroApply.as_view(),
        name="api-ticket-apply-macro",
    ),
    path(
        "canned-responses/",
        actions.CannedResponseListView.as_view(),
        name="api-canned-responses",
    ),
]
