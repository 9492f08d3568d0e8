"""Whatever customers type (subject, body, file name) is shown as text, never run."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.factories import make_queue, make_ticket

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def test_script_in_subject_body_and_filename_is_escaped_when_the_desk_renders_it(client, agent):
    queue = make_queue("Support", members=[agent])
    upload = SimpleUploadedFile(f"{SCRIPT}.pdf", b"%PDF", content_type="application/pdf")
    ticket = make_ticket(
        subject=f"Help {SCRIPT}", body=f"Body {SCRIPT}", name=SCRIPT, queue=queue, files=[upload]
    )
    client.force_login(agent)
    for url in ("/desk/", f"/desk/tickets/{ticket.pk}/"):
        html = client.get(url).content.decode()
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
