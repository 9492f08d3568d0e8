"""Input and output shapes of the widget API."""

from __future__ import annotations

from rest_framework import serializers


class ChatIdentitySerializer(serializers.Serializer):
    user_id = serializers.CharField(max_length=200, allow_blank=True, default="")
    email = serializers.EmailField()
    name = serializers.CharField(max_length=200, allow_blank=True, default="")
    signature = serializers.CharField(
        max_length=200, help_text='hex HMAC-SHA256 of "<user_id>\\n<email>" with the secret.'
    )


class ChatStartSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=64, help_text="The widget's public key.")
    lang = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    page_url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    referrer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    identity = ChatIdentitySerializer(required=False, allow_null=True)


class ChatSendSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, trim_whitespace=True)


class ChatHistoryQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0)


class ChatEscalateSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ChatRateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=["good", "bad"])
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChatArticleOpenedSerializer(serializers.Serializer):
    article_id = serializers.CharField(max_length=40)


class ChatQuickReplySerializer(serializers.Serializer):
    label = serializers.CharField()
    payload = serializers.CharField()


class ChatArticleSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class ChatMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(help_text="customer, bot, agent or system")
    text = serializers.CharField()
    quick_replies = ChatQuickReplySerializer(
        many=True, source="payload.quick_replies", default=list
    )
    articles = ChatArticleSerializer(many=True, source="payload.articles", default=list)
    created_at = serializers.DateTimeField()


class ChatStartedSerializer(serializers.Serializer):
    conversation_id = serializers.UUIDField()
    token = serializers.CharField(help_text="Send it back in the X-Chat-Token header.")
    status = serializers.CharField()
    language = serializers.CharField()
    messages = ChatMessageSerializer(many=True)


class ChatMessagesSerializer(serializers.Serializer):
    messages = ChatMessageSerializer(many=True)
    status = serializers.CharField(help_text="bot, escalated or closed")
    needs_email = serializers.BooleanField(help_text="The bot handed off; ask for an address.")
    ticket_reference = serializers.CharField(allow_null=True)


class ChatEscalatedSerializer(serializers.Serializer):
    ticket_reference = serializers.CharField()
    status = serializers.CharField()
