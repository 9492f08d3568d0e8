"""CSV import: validated per row with an error report, idempotent by email, batched and
resumable; export streams the same columns back."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from customers.models import AttributeDefinition, AuditLog, Contact, ImportJob, Organisation
from customers.services import get_or_create_contact, start_import
from customers.services import imports as imports_module
from customers.services.imports import ImportError_, error_report, run_import

pytestmark = pytest.mark.django_db

CONTACTS = """email,name,phone,language,time_zone,organisation,tags,notes,attr:plan,attr:purchases
casey@example.com,Casey,+358 40 1,fi,Europe/Helsinki,Acme,vip;beta,Likes email,gold,3
robin@example.com,Robin,,,,,,,,
not-an-address,Bad,,,,,,,,
lee@example.com,Lee,,xx,Mars/Base,,,,platinum,many
"""


@pytest.fixture
def definitions():
    AttributeDefinition.objects.create(
        target="contact", key="plan", label="Plan", type="choice", choices=["free", "gold"]
    )
    AttributeDefinition.objects.create(target="contact", key="purchases", label="P", type="number")


def _import(text: str, kind: str = "contact") -> ImportJob:
    job = start_import(kind=kind, upload=SimpleUploadedFile("x.csv", text.encode(), "text/csv"))
    return run_import(job.pk)


def test_valid_rows_are_imported_and_each_bad_row_is_reported(definitions):
    job = _import(CONTACTS)
    assert (job.status, job.total_rows, job.processed_rows) == ("done", 4, 4)
    assert (job.created_count, job.updated_count, job.error_count) == (2, 0, 2)
    casey = Contact.objects.get(email="casey@example.com")
    assert (casey.name, casey.language, casey.time_zone, casey.organisation.name) == (
        "Casey",
        "fi",
        "Europe/Helsinki",
        "Acme",
    )
    assert casey.attributes == {"plan": "gold", "purchases": 3}
    assert sorted(t.name for t in casey.tags.all()) == ["beta", "vip"]
    report = list(csv.reader(io.StringIO(error_report(job))))
    assert report[0] == ["row", "column", "problem"]
    assert {(r[0], r[1]) for r in report[1:]} == {
        ("4", "email"),
        ("5", "language"),
        ("5", "time_zone"),
        ("5", "attr:plan"),
        ("5", "attr:purchases"),
    }
    assert AuditLog.objects.get(action="import").detail["created"] == 2


def test_importing_again_updates_by_email_and_never_duplicates(definitions):
    _import(CONTACTS)
    job = _import(
        "email,name,attr:plan\nCASEY@example.com,Casey Updated,free\nnew@example.com,New,\n"
    )
    assert (job.created_count, job.updated_count) == (1, 1)
    casey = Contact.objects.get(email="casey@example.com")
    assert casey.name == "Casey Updated" and casey.phone == "+358 40 1"  # absent column kept
    assert casey.attributes == {"plan": "free", "purchases": 3}
    assert sorted(t.name for t in casey.tags.all()) == ["beta", "vip"]  # no tags column: kept
    assert Contact.objects.count() == 3


def test_a_further_address_of_a_contact_updates_that_contact():
    contact = get_or_create_contact(email="casey@example.com")
    contact.other_emails.create(email="casey@gmail.example")
    _import("email,name\ncasey@gmail.example,From CSV\n")
    assert Contact.objects.get().name == "From CSV"


def test_an_import_resumes_after_the_last_committed_batch(monkeypatch):
    monkeypatch.setattr(imports_module, "BATCH", 10)
    rows = "".join(f"p{i}@example.com,P{i}\n" for i in range(35))
    job = start_import(
        kind="contact", upload=SimpleUploadedFile("x.csv", f"email,name\n{rows}".encode())
    )
    calls = {"n": 0}
    original = imports_module._import_contacts

    def crash_on_third_batch(batch, job_, context):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker lost")
        return original(batch, job_, context)

    monkeypatch.setattr(imports_module, "_import_contacts", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        run_import(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, Contact.objects.count()) == ("running", 20, 20)
    monkeypatch.setattr(imports_module, "_import_contacts", original)
    job = run_import(job.pk)
    assert (job.status, job.processed_rows, job.created_count, Contact.objects.count()) == (
        "done",
        35,
        35,
        35,
    )


def test_organisations_import_by_name_with_domains():
    job = _import(
        "name,domains,notes\nAcme,acme.example;@ACME.fi,Key account\n,,\n", kind="organisation"
    )
    assert (job.created_count, job.error_count) == (1, 1)
    _import("name,domains\nacme,acme.example\n", kind="organisation")
    acme = Organisation.objects.get()
    assert acme.domains == ["acme.example"] and acme.notes == "Key account"
    assert get_or_create_contact(email="x@acme.example").organisation == acme


def test_a_file_without_the_key_column_is_refused_at_upload():
    with pytest.raises(ImportError_):
        start_import(kind="contact", upload=SimpleUploadedFile("x.csv", b"name\nCasey\n"))
    assert not ImportJob.objects.exists()


def test_a_spreadsheet_export_with_a_bom_is_read():
    _import("\ufeffemail,name\nbom@example.com,Bom\n")
    assert Contact.objects.get().name == "Bom"


def test_the_export_streams_the_columns_import_reads_and_neutralises_formulas(
    admin_user, definitions
):
    _import(CONTACTS)
    Contact.objects.filter(email="robin@example.com").update(name='=HYPERLINK("http://x")')
    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.get("/api/v1/contacts/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "email",
        "name",
        "phone",
        "language",
        "time_zone",
        "organisation",
        "tags",
        "notes",
        "attr:plan",
        "attr:purchases",
    ]
    casey = next(r for r in rows if r[0] == "casey@example.com")
    assert casey[5:] == ["Acme", "beta;vip", "Likes email", "gold", "3"]
    assert next(r for r in rows if r[0] == "robin@example.com")[1].startswith("'=")


def test_the_import_api_reports_progress(admin_user, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(admin_user)
    upload = SimpleUploadedFile("c.csv", b"email\na@example.com\nb@example.com\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/contact-imports/", {"kind": "contact", "file": upload}, format="multipart"
        )
    assert started.status_code == 202
    status = client.get(f"/api/v1/contact-imports/{started.json()['id']}/").json()
    assert (status["status"], status["percent"], status["created_count"]) == ("done", 100, 2)


def test_the_import_command_runs_a_file_now_and_refuses_one_without_the_key_column(tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "people.csv"
    good.write_text("email,name\ncmd@example.com,Cmd\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_contacts", str(good), stdout=out)
    assert "done, 1 rows, 1 created" in out.getvalue()
    assert Contact.objects.get().name == "Cmd"
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nCasey\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_contacts", str(bad))
    assert ImportJob.objects.count() == 1
