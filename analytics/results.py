"""A computed report: headline, table rows (also the chart's data, the CSV and the API body)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .metrics import REPORTS_BY_KEY


@dataclass
class Result:
    """One report: a headline, a table (also the chart's data and the CSV) and a chart kind."""

    key: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    headline: str = ""
    chart: str = ""  # "bars", "funnel", "line" or "" (table only)

    @property
    def report(self):
        return REPORTS_BY_KEY[self.key]


def ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"
