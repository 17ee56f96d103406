"""The study-hours ledger (学时台账): how many hours a cadre earned in a year,
by source, how many count once the caps are applied, and his quota — in one
place, for one trainee or for thousands in the same few queries.

Everything that shows or judges study hours builds on this module: `/me/`,
the training file (一人一档), the yearly transcript (学时证明), the coverage
report and the warnings. None recounts.

The API
-------
`ledger(user, year, *, rules=None) -> YearLedger`
    One trainee's year.
`ledgers(users, year, *, rules=None) -> dict[int, YearLedger]`
    Many trainees' years, keyed by user id, with an entry for every user
    given (zero hours where he earned none). `users` is a QuerySet of users
    (best for large sets: it runs as a subquery) or an iterable of users or
    user ids. One query, whatever the number of users — the hours are the
    ones the database keeps (`records.models.YearHours`) — plus the rules'
    settings when not given (none when `LedgerRules.for_request` finds them
    in the shared cache).
`with_year_hours(queryset, year, path="")`, `KEPT_HOURS`, `year_ledger(…)`
    For a query of its own (the coverage report's): the kept hours joined
    to any rows that reach users, and a ledger built from them.
`LedgerRules.for_request(request)` / `LedgerRules.for_default_site()`
    The caps per source and the quota of a trainee without a rank, read
    once; pass them to `ledger(s)` in loops and commands.
`pro_rata(quota, year, on) -> Decimal`
    The share of a yearly quota the date `on` calls for.

A `YearLedger` has `user_id`, `year`, `rank_id` and `rank_name` ("" without
a rank), `quota` (his rank's yearly quota), `earned` and `counted` (each
`Source` → Decimal, every source present; counted = earned capped),
`total` (counted, summed), `earned_total`, `remaining` (quota − total, never
below 0), `expected(on)` (pro-rata quota at a date), `short(on)` (how far
behind the pro-rata quota), `behind(on)`, `met(on=None)` (the pro-rata
quota at `on`, or the whole quota), and `by_source()` (rows for tables).

The rules
---------
- **Lectures and lessons**: every session he attended (present or late, as
  `lectures.counting` says) that started in the year (Asia/Shanghai) earns
  its study hours; a training class's lessons count under `LESSONS`, the
  rest under `SESSIONS`.
- **Elsewhere**: each approved `ExternalTraining` that ended in the year
  earns its approved hours under its kind (`ASSIGNED`, `PARTY_SCHOOL`,
  `ONLINE`, `OTHER`). Pending and refused ones earn nothing.
- Both are summed by the database as the rows change (`YearHours`, kept by
  triggers; `records.services.kept_hours.recount_year_hours` is the same
  rule counted from the rows, and the tests hold them equal).
- **Caps**: a source's cap (`LedgerSettings`, in the admin's Settings) is
  the most of it that counts in a year; what is above is earned but not
  counted.
- **Quota**: his rank's `Rank.yearly_hours` (讲坛网络 → 职级); a trainee
  without a rank has the site's default (`ParticipationSettings.
  yearly_hours_quota`).
- **Pro-rata**: quota × the days of the year gone, `on` included ÷ the days
  in the year, to a tenth; nothing before the year, the whole quota after.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone
from wagtail.models import Site

from lectures.models import ParticipationSettings
from records.models import LedgerSettings, Source

ZERO = Decimal("0")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class LedgerRules:
    """The caps per source and the quota of a trainee without a rank."""

    caps: Mapping[str, Decimal | None]
    default_quota: Decimal

    @classmethod
    def for_request(cls, request) -> "LedgerRules":
        return cls(
            caps=LedgerSettings.for_request(request).caps(),
            default_quota=ParticipationSettings.for_request(request).yearly_hours_quota,
        )

    @classmethod
    def for_default_site(cls) -> "LedgerRules":
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return cls(caps=dict.fromkeys(Source), default_quota=Decimal("50"))
        return cls(
            caps=LedgerSettings.for_site(site).caps(),
            default_quota=ParticipationSettings.for_site(site).yearly_hours_quota,
        )


def pro_rata(quota: Decimal, year: int, on: date) -> Decimal:
    """The share of `quota` the date `on` calls for in `year`."""
    if on.year < year:
        return ZERO
    if on.year > year:
        return quota
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    return (quota * Decimal((on - start).days + 1) / days).quantize(TENTH)


@dataclass(frozen=True)
class SourceHours:
    """One row of a ledger's table."""

    source: str
    earned: Decimal
    counted: Decimal
    cap: Decimal | None

    @property
    def label(self) -> str:
        return Source(self.source).label

    @property
    def capped(self) -> bool:
        return self.counted < self.earned


@dataclass(frozen=True)
class YearLedger:
    user_id: int
    year: int
    rank_id: int | None
    rank_name: str
    quota: Decimal
    earned: Mapping[str, Decimal]
    counted: Mapping[str, Decimal]
    caps: Mapping[str, Decimal | None]

    @property
    def total(self) -> Decimal:
        """The hours that count towards the quota."""
        return sum(self.counted.values(), ZERO)

    @property
    def earned_total(self) -> Decimal:
        return sum(self.earned.values(), ZERO)

    @property
    def remaining(self) -> Decimal:
        return max(self.quota - self.total, ZERO)

    def expected(self, on: date | None = None) -> Decimal:
        """The pro-rata quota at `on` (today, Asia/Shanghai, if not given)."""
        return pro_rata(self.quota, self.year, on or timezone.localdate())

    def short(self, on: date | None = None) -> Decimal:
        """How many hours he is behind the pro-rata quota at `on`."""
        return max(self.expected(on) - self.total, ZERO)

    def behind(self, on: date | None = None) -> bool:
        return self.total < self.expected(on)

    def met(self, on: date | None = None) -> bool:
        """The pro-rata quota at `on` reached; without `on`, the whole quota."""
        return self.total >= (self.quota if on is None else self.expected(on))

    def by_source(self) -> list[SourceHours]:
        return [
            SourceHours(source, self.earned[source], self.counted[source], cap)
            for source, cap in self.caps.items()
        ]


def _cap(hours: Decimal, cap: Decimal | None) -> Decimal:
    return hours if cap is None else min(hours, cap)


def year_ledger(
    year: int,
    rules: LedgerRules,
    user_id: int,
    rank_id: int | None,
    rank_name: str | None,
    rank_quota: Decimal | None,
    tenths: Iterable[int | None],
) -> YearLedger:
    """A ledger from a cadre's rank and his kept hours (`YearHours`, in
    tenths, in the order of `Source`; None where he has no row)."""
    hours = {
        source: Decimal(value or 0).scaleb(-1)
        for source, value in zip(Source, tenths, strict=True)
    }
    return YearLedger(
        user_id=user_id,
        year=year,
        rank_id=rank_id,
        rank_name=rank_name or "",
        quota=rules.default_quota if rank_quota is None else rank_quota,
        earned=hours,
        counted={
            source: _cap(value, rules.caps.get(source))
            for source, value in hours.items()
        },
        caps={source: rules.caps.get(source) for source in Source},
    )


def with_year_hours(queryset: QuerySet, year: int, path: str = "") -> QuerySet:
    """`queryset` (of users, or of rows reaching users by `path`) joined to
    its users' kept hours of `year` as `kept` (a left join: no row, no
    hours)."""
    relation = f"{path}year_hours"
    return queryset.annotate(
        kept=FilteredRelation(relation, condition=Q(**{f"{relation}__year": year}))
    )


#: The kept hours' columns, as `values_list` names after `with_year_hours`.
KEPT_HOURS = tuple(f"kept__{source.value}" for source in Source)


def ledgers(
    users: QuerySet | Iterable, year: int, *, rules: LedgerRules | None = None
) -> dict[int, YearLedger]:
    """Each user's ledger for `year`, keyed by user id, in one query."""
    rules = rules or LedgerRules.for_default_site()
    if isinstance(users, QuerySet):
        people = get_user_model().objects.filter(pk__in=users.values("pk"))
    else:
        ids = [getattr(user, "pk", user) for user in users]
        people = get_user_model().objects.filter(pk__in=ids)
    rows = with_year_hours(people, year).values_list(
        "pk",
        "trainee__rank_id",
        "trainee__rank__name",
        "trainee__rank__yearly_hours",
        *KEPT_HOURS,
    )
    return {
        user_id: year_ledger(year, rules, user_id, rank_id, name, quota, tenths)
        for user_id, rank_id, name, quota, *tenths in rows
    }


def ledger(user, year: int, *, rules: LedgerRules | None = None) -> YearLedger:
    """One trainee's ledger for `year`."""
    return ledgers([user], year, rules=rules)[getattr(user, "pk", user)]
