"""Ticket attachment downloads: permission-checked, always a download, never rendered."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from helpdesk.files import file_response

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


@require_GET
def attachment_download(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """The file if this person may see it; a 404 (not a 403) otherwise."""
    item = Attachment.objects.select_related("ticket", "message").filter(pk=pk).first()
    if item is None or item.filename != filename or not _may_download(request, item):
        raise Http404
    return file_response(item.file, filename=item.filename, content_type=item.content_type)
