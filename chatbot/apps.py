"""App configuration of the chatbot app."""

from django.apps import AppConfig


class ChatbotConfig(AppConfig):
    name = "chatbot"
    verbose_name = "Chatbot"
