"""The vocabulary benchmark queries draw from: the same words seed_kb writes articles with."""

from kb.management.commands.seed_kb import WORDS

__all__ = ["WORDS"]
