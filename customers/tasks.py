"""Customer tasks: run a CSV import in the background (resumable, so retries are safe)."""

from __future__ import annotations

from celery import shared_task

from .services.imports import run_import


@shared_task(
    name="customers.tasks.import_csv",
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def import_csv(job_id: int) -> str:
    job = run_import(job_id)
    return job.status if job else "missing"
