"""Ticket attachment downloads: permission-checked, always a download, never rendered."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from ..models import Attachment, MessageKind
from ..selectors import agent_can_see, visible_tickets
from ..services.portal import has_ticket_access


def _may_download(request: HttpRequest, item: Attachment) -> bool:
    user, ticket = request.user, item.ticket
    if user.is_authenticated and user.is_agent and agent_can_see(user, ticket):
        return True
    # Customers only ever get files of public replies: a note's file stays with the agents.
    if item.message is None or item.message.kind != MessageKind.PUBLIC:
        return False
    if has_ticket_access(request.session, ticket=ticket):
        return True
    return (
        user.is_authenticated
        and visible_tickets(user).filter(pk=ticket.pk, requester__user=user).exists()
    )


def content_disposition(filename: str) -> str:
    """RFC 6266 with an ASCII fallback and the exact name RFC 5987-encoded."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    fallback = fallback.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@require_GET
def attachment_download(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """The file if this person may see it; a 404 (not a 403) otherwise."""
    item = Attachment.objects.select_related("ticket", "message").filter(pk=pk).first()
    if item is None or item.filename != filename or not _may_download(request, item):
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition(item.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
