"""The demo chat widget for `manage.py load_demo` (idempotent): Northwind's bot on port 8001."""

from __future__ import annotations

from chatbot.engine import dump_bot
from chatbot.engine.demo import load_demo_bot

from .authoring import import_bot
from .models import Bot, Widget

DEMO_KEY = "demo-shop-key"
DEMO_BOT_SLUG = "northwind"
# The demo shop (make demo-host) and the help center itself ("Chat with us" on its pages).
DEMO_ORIGINS = [
    "http://127.0.0.1:8001",
    "http://localhost:8001",
    "http://127.0.0.1:8000",
    "http://localhost:8000",
]
# People answer the demo chat on weekdays, Helsinki office hours.
DEMO_TIME_ZONE = "Europe/Helsinki"
DEMO_HOURS = {str(day): [["08:00", "18:00"]] for day in range(5)}


def demo_bot() -> Bot:
    """The Northwind bot as rows (created, or refreshed from `demo_bot.yml`)."""
    bot, _ = Bot.objects.get_or_create(slug=DEMO_BOT_SLUG, defaults={"name": "Northwind"})
    import_bot(bot=bot, data=dump_bot(load_demo_bot()))
    return bot


def load(stdout) -> Widget:
    """Create or refresh the "Demo shop" widget and print its identity secret."""
    bot = demo_bot()
    widget, created = Widget.objects.update_or_create(
        public_key=DEMO_KEY,
        defaults={
            "name": "Demo shop",
            "allowed_origins": DEMO_ORIGINS,
            "default_language": "en",
            "is_active": True,
            "bot": bot,
            "time_zone": DEMO_TIME_ZONE,
            "business_hours": DEMO_HOURS,
        },
    )
    stdout.write(f"Chat widget “{widget.name}” {'created' if created else 'updated'}: ")
    stdout.write(f"  key {widget.public_key}, origins {', '.join(DEMO_ORIGINS)}")
    stdout.write(f"  bot “{bot.name}” ({bot.slug}): edit it in the admin under Chatbot › Bots")
    stdout.write(f"  identity secret {widget.identity_secret}")
    stdout.write(f"  people answer Mon-Fri 08:00-18:00 ({DEMO_TIME_ZONE})")
    return widget
