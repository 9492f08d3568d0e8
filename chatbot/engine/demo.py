"""The sample Northwind shop bot shipped with the engine, for demos, docs and tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from chatbot.engine.bot import Bot
from chatbot.engine.schema import load_bot

DEMO_BOT_PATH = Path(__file__).with_name("demo_bot.yml")


def load_demo_bot() -> Bot:
    """Load and check the sample bot definition."""
    with DEMO_BOT_PATH.open(encoding="utf-8") as handle:
        return load_bot(yaml.safe_load(handle))
