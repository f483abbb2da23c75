"""City and province roll-up: one row per county or city with progress and shares (services.figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.periods import Period
from .figures import BY_NAME, names_of, report
from .types import Actor


ROLLUP_FIGURES = ("台账总数", "已处理", "B类", "未确认99", "劝返逾期", "返校")


@dataclass(frozen=True)
class RollupRow:
    key: str  # county or city code ("" for the total)
    name: str
    total: int
    processed: int
    b_class: int
    unconfirmed: int
    overdue: int
    returned: int

    @staticmethod
    def _pct(n: int, d: int) -> float:
        return round(100.0 * n / d, 1) if d else 0.0

    @property
    def progress(self) -> float:
        return self._pct(self.processed, self.total)

    @property
    def b_share(self) -> float:
        return self._pct(self.b_class, self.processed)

    @property
    def share_99(self) -> float:
        return self._pct(self.unconfirmed, self.processed)


def rollup(actor: Actor, period: Period, *, by: str | None = None, region: str | None = None,
           today: date | None = None) -> list[RollupRow]:
    """One row per county (``by="county"``, a city's default) or city (a province's), and the total.

    Progress = 已处理 / 台账总数; B-class and 99 shares are of 已处理.
    """
    top = region or actor.region
    digits = {"county": 6, "city": 4}[by or ("city" if top.endswith("0000") else "county")]
    r = report(actor, period, region=region, today=today,
               figures=tuple(BY_NAME[n] for n in ROLLUP_FIGURES))
    groups: dict[str, dict[str, int]] = {}
    for row in r.level("county"):
        g = groups.setdefault(row.key[:digits], {n: 0 for n in ROLLUP_FIGURES})
        for n in ROLLUP_FIGURES:
            g[n] += row.n(n)
    names = names_of({k.ljust(6, "0") for k in groups})
    county_names = {row.key: row.name for row in r.level("county")}

    def make(key, name, g):
        return RollupRow(key, name, *(g[n] for n in ROLLUP_FIGURES))

    def name_of(k):  # a county directly under the province (济源) has no city row of its own
        return names.get(k.ljust(6, "0")) or next((n for c, n in county_names.items() if c.startswith(k)), k)

    out = [make(k, name_of(k), g) for k, g in sorted(groups.items())]
    return [*out, make("", "合计", {n: r.total.n(n) for n in ROLLUP_FIGURES})]
