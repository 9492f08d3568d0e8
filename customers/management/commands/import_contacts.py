"""`manage.py import_contacts FILE.csv [--kind organisation]`: a CSV import, run here and now."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from customers.services.imports import ImportError_, create_import_job, run_import


class Command(BaseCommand):
    help = "Import contacts (or organisations) from a CSV file, as the desk's import does."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--kind", choices=["contact", "organisation"], default="contact")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open("rb") as handle:
                job = create_import_job(kind=options["kind"], upload=File(handle), name=path.name)
        except ImportError_ as exc:
            raise CommandError(str(exc)) from exc
        job = run_import(job.pk)
        self.stdout.write(
            f"import {job.pk}: {job.status}, {job.processed_rows} rows, "
            f"{job.created_count} created, {job.updated_count} updated, "
            f"{job.error_count} with errors"
        )
