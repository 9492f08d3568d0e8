"""Routes filled in by the ticket UI and API work (next commits)."""

urlpatterns: list = []
