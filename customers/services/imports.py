"""CSV import and export of contacts and organisations: streamed, batched, resumable.

Rows are read one at a time from the stored file and written in batches of BATCH rows, each
batch in its own transaction together with the job's progress, so memory stays bounded and a
restarted task resumes after the last committed batch. Re-importing updates by email (contacts)
or by name (organisations).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import (
    AttributeDefinition,
    AttributeTarget,
    AuditAction,
    AuditLog,
    Contact,
    ContactEmail,
    ContactTag,
    ImportJob,
    ImportStatus,
    Organisation,
    normalise_domain,
)
from .attributes import _coerce
from .contacts import organisation_domains

BATCH = 500
UPDATE_BATCH = 50
UPDATED_FIELDS = ["name", "phone", "language", "time_zone", "notes", "organisation", "attributes"]
MAX_STORED_ERRORS = 1000
LIST_SEPARATOR = ";"
CONTACT_COLUMNS = [
    "email",
    "name",
    "phone",
    "language",
    "time_zone",
    "organisation",
    "tags",
    "notes",
]
ORGANISATION_COLUMNS = ["name", "domains", "notes"]
ATTRIBUTE_PREFIX = "attr:"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


class ImportError_(Exception):
    """The file cannot be imported at all (no header, wrong columns)."""


def _rows(job: ImportJob) -> Iterator[dict]:
    """The file's data rows as dicts, streamed (a BOM from spreadsheet exports is skipped)."""
    with job.file.open("rb") as handle:
        text = codecs.getreader("utf-8-sig")(handle, errors="replace")
        yield from csv.DictReader(text)


def _header(job: ImportJob) -> list[str]:
    with job.file.open("rb") as handle:
        first = codecs.getreader("utf-8-sig")(handle, errors="replace").readline()
    return [c.strip() for c in next(csv.reader([first]), [])]


def check_header(job: ImportJob) -> None:
    columns = _header(job)
    key = "email" if job.kind == AttributeTarget.CONTACT else "name"
    if key not in columns:
        raise ImportError_(
            _("The first row must name the columns, including “%(key)s”.") % {"key": key}
        )


class _Context:
    """What a job looks up once rather than per row: attribute definitions, organisations."""

    def __init__(self, kind: str) -> None:
        self.definitions = {d.key: d for d in AttributeDefinition.objects.filter(target=kind)}
        self.organisations = {o.name.lower(): o for o in Organisation.objects.all()}
        by_pk = {o.pk: o for o in self.organisations.values()}
        # The same map (and the same choice for a domain listed twice) as every other channel.
        self.domains = {domain: by_pk[pk] for domain, pk in organisation_domains().items()}

    def organisation(self, name: str) -> Organisation:
        found = self.organisations.get(name.lower())
        if found is None:
            found = self.organisations[name.lower()] = Organisation.objects.create(name=name[:200])
        return found


def _attributes(row: dict, context: _Context, errors: dict) -> dict:
    values = {}
    for column, raw in row.items():
        if not column or not column.startswith(ATTRIBUTE_PREFIX) or raw in (None, ""):
            continue
        key = column[len(ATTRIBUTE_PREFIX) :].strip()
        definition = context.definitions.get(key)
        if definition is None:
            errors[column] = "unknown attribute"
            continue
        try:
            values[key] = _coerce(definition, raw)
        except ValueError as exc:
            errors[column] = str(exc)
    return values


def _clean_contact(row: dict, context: _Context) -> tuple[dict, dict]:
    """(values, errors) of one contact row."""
    errors: dict[str, str] = {}
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    email = get("email").lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "a valid email address is required"
    if get("language") and get("language") not in LANGUAGES:
        errors["language"] = f"one of: {', '.join(sorted(LANGUAGES))}"
    if get("time_zone"):
        try:
            zoneinfo.ZoneInfo(get("time_zone"))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = "an IANA time zone such as Europe/Helsinki is required"
    values = {
        "email": email,
        "name": get("name")[:200],
        "phone": get("phone")[:40],
        "language": get("language"),
        "time_zone": get("time_zone"),
        "notes": get("notes"),
        "organisation": get("organisation"),
        "tags": [
            t
            for t in (
                slugify(x.strip(), allow_unicode=True)[:50]
                for x in get("tags").split(LIST_SEPARATOR)
            )
            if t
        ],
        "attributes": _attributes(row, context, errors),
    }
    return values, errors


def _existing_contacts(emails: list[str]) -> dict[str, Contact]:
    found = {
        c.email.lower(): c for c in Contact.objects.alias(e=Lower("email")).filter(e__in=emails)
    }
    others = ContactEmail.objects.alias(e=Lower("email")).filter(e__in=emails)
    for other in others.select_related("contact"):
        found.setdefault(other.email.lower(), other.contact)
    return found


def _apply(contact: Contact, values: dict, row: dict, context: _Context) -> None:
    """Set the columns present in the file (an absent column never blanks a value)."""
    for name in ("name", "phone", "language", "time_zone", "notes"):
        if name in row and values[name] != "":
            setattr(contact, name, values[name])
    if values["organisation"]:
        contact.organisation = context.organisation(values["organisation"])
    elif contact.organisation_id is None:
        contact.organisation = context.domains.get(
            normalise_domain(values["email"].rsplit("@", 1)[-1])
        )
    if values["attributes"]:
        contact.attributes = {**(contact.attributes or {}), **values["attributes"]}


def _update_contacts(contacts: list[Contact]) -> None:
    """Write changed contacts: one UPDATE ... FROM (VALUES ...) on PostgreSQL (bulk_update's
    CASE expressions cost ~7 ms a row there), small bulk_update batches elsewhere."""
    if not contacts:
        return
    if connection.vendor != "postgresql":
        Contact.objects.bulk_update(contacts, UPDATED_FIELDS, batch_size=UPDATE_BATCH)
        return
    now = timezone.now()
    rows, params = [], []
    for c in contacts:
        rows.append("(%s, %s, %s, %s, %s, %s, %s::bigint, %s::jsonb)")
        params += [
            c.pk,
            c.name,
            c.phone,
            c.language,
            c.time_zone,
            c.notes,
            c.organisation_id,
            json.dumps(c.attributes or {}),
        ]
    table = Contact._meta.db_table
    # Only our table name and "%s" placeholders are formatted in; every value is a parameter.
    sql = (
        f"UPDATE {table} AS c SET name = v.name, phone = v.phone, language = v.language, "  # noqa: S608
        "time_zone = v.time_zone, notes = v.notes, organisation_id = v.organisation_id, "
        "attributes = v.attributes, updated_at = %s "
        f"FROM (VALUES {', '.join(rows)}) AS v(id, name, phone, language, time_zone, notes, "
        "organisation_id, attributes) WHERE c.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *params])


def _snapshot(contact: Contact) -> tuple:
    return tuple(
        getattr(contact, f if f != "organisation" else "organisation_id") for f in UPDATED_FIELDS
    )


def _import_contacts(batch: list[tuple[int, dict]], job: ImportJob, context: _Context) -> None:
    cleaned: dict[str, tuple[int, dict, dict]] = {}
    for number, row in batch:
        values, errors = _clean_contact(row, context)
        if errors:
            _error(job, number, errors)
        else:
            cleaned[values["email"]] = (number, values, row)  # a repeated address: last row wins
    existing = _existing_contacts(list(cleaned))
    new, changed, tag_rows = [], [], []
    for email, (_number, values, row) in cleaned.items():
        contact = existing.get(email) or Contact(email=email)
        before = _snapshot(contact)
        _apply(contact, values, row, context)
        if contact.pk is None:
            new.append(contact)
        elif _snapshot(contact) != before:  # an identical re-import writes nothing
            changed.append(contact)
        if "tags" in row:
            tag_rows.append((contact, values["tags"]))
    Contact.objects.bulk_create(new, batch_size=BATCH)
    _update_contacts(changed)
    _set_tags(tag_rows)
    job.created_count += len(new)
    job.updated_count += len(changed)


def _set_tags(tag_rows: list[tuple[Contact, list[str]]]) -> None:
    """Make each contact's tags those of its row; only the differences are written."""
    if not tag_rows:
        return
    names = {n for _c, tags in tag_rows for n in tags}
    known = {t.name: t.pk for t in ContactTag.objects.filter(name__in=names)}
    if names - set(known):
        ContactTag.objects.bulk_create(
            [ContactTag(name=n) for n in names - set(known)], ignore_conflicts=True
        )
        known = {t.name: t.pk for t in ContactTag.objects.filter(name__in=names)}
    through = Contact.tags.through
    wanted = {(c.pk, known[n]) for c, tags in tag_rows for n in tags}
    current = set(
        through.objects.filter(contact__in=[c.pk for c, _t in tag_rows]).values_list(
            "contact_id", "contacttag_id"
        )
    )
    for contact_id, tag_id in current - wanted:
        through.objects.filter(contact_id=contact_id, contacttag_id=tag_id).delete()
    through.objects.bulk_create(
        [through(contact_id=c, contacttag_id=t) for c, t in wanted - current],
        ignore_conflicts=True,
    )


def _import_organisations(batch: list[tuple[int, dict]], job: ImportJob, context: _Context) -> None:
    for number, row in batch:
        errors: dict[str, str] = {}
        name = (row.get("name") or "").strip()
        if not name:
            errors["name"] = "a name is required"
        attributes = _attributes(row, context, errors)
        if errors:
            _error(job, number, errors)
            continue
        organisation = context.organisations.get(name.lower())
        is_new = organisation is None
        organisation = organisation or Organisation(name=name[:200])
        if "domains" in row:
            organisation.domains = (row["domains"] or "").split(LIST_SEPARATOR)  # save() tidies
        if (row.get("notes") or "").strip():
            organisation.notes = row["notes"].strip()
        organisation.attributes = {**(organisation.attributes or {}), **attributes}
        organisation.save()
        context.organisations[name.lower()] = organisation
        job.created_count += is_new
        job.updated_count += not is_new


def _error(job: ImportJob, number: int, errors: dict) -> None:
    job.error_count += 1
    if len(job.errors) < MAX_STORED_ERRORS:
        job.errors.append({"row": number, "errors": errors})


def count_rows(job: ImportJob) -> int:
    return sum(1 for _row in _rows(job))


def run_import(job_id: int) -> ImportJob | None:
    """Import (or resume importing) a job's file in committed batches; idempotent."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    try:
        check_header(job)
    except ImportError_ as exc:
        job.status, job.message, job.finished_at = ImportStatus.FAILED, str(exc), timezone.now()
        job.save()
        return job
    if job.status == ImportStatus.PENDING:
        job.total_rows, job.status = count_rows(job), ImportStatus.RUNNING
        job.save(update_fields=["total_rows", "status"])
    context = _Context(job.kind)
    handler = _import_contacts if job.kind == AttributeTarget.CONTACT else _import_organisations
    batch: list[tuple[int, dict]] = []
    for number, row in enumerate(_rows(job), start=2):  # row 1 is the header
        if number - 2 < job.processed_rows:
            continue  # done by an earlier run of this task
        batch.append((number, row))
        if len(batch) >= BATCH:
            _commit_batch(job, batch, handler, context)
            batch = []
    _commit_batch(job, batch, handler, context, is_last=True)
    return job


def _commit_batch(job, batch, handler, context, *, is_last: bool = False) -> None:
    with transaction.atomic():
        handler(batch, job, context)
        job.processed_rows += len(batch)
        if is_last:
            job.status, job.finished_at = ImportStatus.DONE, timezone.now()
            AuditLog.objects.create(
                action=AuditAction.IMPORT,
                actor=job.created_by,
                detail={
                    "job": job.pk,
                    "kind": job.kind,
                    "created": job.created_count,
                    "updated": job.updated_count,
                    "errors": job.error_count,
                },
            )
        job.save()


def error_report(job: ImportJob) -> str:
    """The per-row errors as CSV text: row, column, problem."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "problem"])
    for entry in job.errors:
        for column, problem in entry["errors"].items():
            writer.writerow([entry["row"], column, problem])
    return out.getvalue()


def create_import_job(*, kind: str, upload, actor=None, name: str = "") -> ImportJob:
    """Store a CSV as a pending job; a file without the key column is refused (and removed)."""
    if kind not in AttributeTarget.values:
        raise ImportError_(f"Unknown import kind {kind!r}.")
    job = ImportJob(
        kind=kind, created_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    job.file.save(name or f"{kind}.csv", upload, save=False)
    job.save()
    try:
        check_header(job)
    except ImportError_:
        job.file.delete(save=False)
        job.delete()
        raise
    return job


def start_import(*, kind: str, upload, actor=None) -> ImportJob:
    """Store an uploaded CSV and queue its import after commit."""
    from helpdesk.celery import enqueue_on_commit

    from ..tasks import import_csv

    job = create_import_job(kind=kind, upload=upload, actor=actor)
    enqueue_on_commit(import_csv, job.pk)
    return job
