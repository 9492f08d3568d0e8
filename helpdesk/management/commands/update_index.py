"""haystack's update_index, then merge the index's segments when a bulk run left many."""

from haystack import connections
from haystack.management.commands.update_index import Command as HaystackUpdateIndex

from helpdesk.search_tasks import MAX_SEGMENTS


class Command(HaystackUpdateIndex):
    def handle(self, **options):
        super().handle(**options)
        for alias in options.get("using") or ["default"]:
            backend = connections[alias].get_backend()
            if hasattr(backend, "segment_count") and backend.segment_count() > MAX_SEGMENTS:
                backend.optimize()
