"""Widget API routes, mounted at /api/v1/chat/."""

from django.urls import path

from . import api, bot_api

urlpatterns = [
    path("start", api.StartView.as_view(), name="chat-api-start"),
    path("messages", api.SendView.as_view(), name="chat-api-messages"),
    path("history", api.HistoryView.as_view(), name="chat-api-history"),
    path("escalate", api.EscalateView.as_view(), name="chat-api-escalate"),
    path("rate", api.RateView.as_view(), name="chat-api-rate"),
    path("articles/opened", api.ArticleOpenedView.as_view(), name="chat-api-article-opened"),
    path("bots/", bot_api.BotListView.as_view(), name="chat-api-bots"),
    path("bots/<slug:slug>", bot_api.BotDetailView.as_view(), name="chat-api-bot"),
]
