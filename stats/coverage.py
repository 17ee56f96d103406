"""Coverage (全覆盖): which cadres of a subtree took part in training in a
year, and which have earned their pro-rata study hours — by unit and rank,
down to the names.

A cadre is a trainee whose unit is a forum of the subtree (his profile's
`unit_forum`), with an active account. For a year:

* **met** his quota: the study hours that count (the ledger,
  `records.services.ledger`: sessions, lessons and approved training
  elsewhere, capped per source) reach the share of his rank's yearly quota
  the date calls for (`YearLedger.met(on)`: the whole quota for a past year);
* **behind**: not met;
* **attended nothing**: no session or lesson attended (present or late)
  that year and no approved training elsewhere. With a theme (a field or a
  category), only sessions of that theme count, so the report answers
  "which cadres have not attended a session on this theme";
* **rate** (达标率): met ÷ cadres; **coverage** (覆盖率): cadres who attended
  something ÷ cadres.

Every figure comes from one pass over the cadres of the selection, in a
fixed number of queries (the cadres with whether each attended, the
ledgers of them all, the ranks, the units): `coverage()` folds the lines
into tables by rank and by unit × rank, and `cadre_lines()` gives the names.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import Page

from lectures.counting import rate
from lectures.models import (
    Category,
    DistrictForumPage,
    Field,
    ForumLevel,
    ForumPage,
    Rank,
    TraineeProfile,
)
from lectures.models.tree import below
from lectures.services.trainee_page import year_attendance
from records.models import Source
from records.models.external import EXTERNAL_SOURCES
from records.services.ledger import (
    KEPT_HOURS,
    LedgerRules,
    YearLedger,
    pro_rata,
    with_year_hours,
    year_ledger,
)

#: The groups a cadre falls in, for the names' filter.
STATUSES = ("behind", "nothing", "met")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class CoverageQuery:
    """The cadres of a subtree in a year, optionally of some ranks, and the
    theme whose sessions count as attended."""

    year: int
    forum: ForumPage | None = None
    ranks: tuple[Rank, ...] = ()
    #: Cadres without a rank (alone, or beside `ranks`).
    no_rank: bool = False
    field: Field | None = None
    category: Category | None = None
    #: The day the pro-rata quota is judged at (today, Asia/Shanghai).
    on: date | None = None

    @property
    def day(self) -> date:
        return self.on or timezone.localdate()

    @property
    def themed(self) -> bool:
        return self.field is not None or self.category is not None

    def cadres(self):
        """The selection's trainee profiles (active accounts)."""
        profiles = TraineeProfile.objects.filter(user__is_active=True)
        if self.forum is not None and self.forum.level == ForumLevel.DISTRICT:
            # Nearly every cadre: read the profiles in order, each unit
            # looked up in the subtree's forums (`+ 0` keeps SQLite from
            # walking the unit index cadre by cadre: 1.1 s instead of 0.2 s
            # at 100× the seed).
            units = Page.objects.filter(below(self.forum.path)).values("pk")
            profiles = profiles.alias(unit_key=F("unit_forum_id") + 0).filter(
                unit_key__in=units
            )
        elif self.forum is not None:
            profiles = profiles.filter(below(self.forum.path, "unit_forum__path"))
        if self.ranks or self.no_rank:
            chosen = Q(rank__in=[rank.pk for rank in self.ranks])
            if self.no_rank:
                chosen |= Q(rank__isnull=True)
            profiles = profiles.filter(chosen)
        return profiles

    def attended(self):
        """Attendance that counts as having attended (of the theme, if any)."""
        rows = year_attendance(self.year)
        if self.field is not None:
            rows = rows.filter(session__field=self.field)
        if self.category is not None:
            rows = rows.filter(session__category=self.category)
        return rows


@dataclass
class CadreLine:
    """One cadre of the selection and where he stands."""

    user_id: int
    name: str
    unit: str
    unit_path: str
    position: str
    rank_id: int | None
    rank_name: str
    attended: bool
    ledger: YearLedger
    on: date
    #: Judged once: every table asks.
    met: bool = False
    expected: Decimal = Decimal(0)

    @property
    def hours(self) -> Decimal:
        # To a tenth, as every study-hours figure is shown (SQLite may sum
        # decimals to a whole number).
        return Decimal(self.ledger.total).quantize(TENTH)

    @property
    def quota(self) -> Decimal:
        return self.ledger.quota

    @property
    def short_by(self) -> Decimal:
        return max(self.expected - self.hours, Decimal(0))

    @property
    def status(self) -> str:
        if not self.attended:
            return "nothing"
        return "met" if self.met else "behind"

    def is_(self, status: str) -> bool:
        """In the names' group `status` (the nothing-attended are behind too,
        unless they met the quota some other way)."""
        if status == "behind":
            return not self.met
        if status == "nothing":
            return not self.attended
        if status == "met":
            return self.met
        return True


@dataclass
class Tally:
    """How many cadres, how many met the quota, how many attended nothing."""

    cadres: int = 0
    met: int = 0
    nothing: int = 0

    def add(self, line: CadreLine) -> None:
        self.cadres += 1
        self.met += line.met
        self.nothing += not line.attended

    def absorb(self, other: "Tally") -> None:
        """Add `other`'s counts to these (a fold of thousands of cells)."""
        self.cadres += other.cadres
        self.met += other.met
        self.nothing += other.nothing

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.cadres + other.cadres,
            self.met + other.met,
            self.nothing + other.nothing,
        )

    @property
    def behind(self) -> int:
        return self.cadres - self.met

    @property
    def rate(self) -> float | None:
        """达标率: met ÷ cadres, in percent."""
        return rate(self.met, self.cadres)

    @property
    def coverage(self) -> float | None:
        """覆盖率: attended something ÷ cadres, in percent."""
        return rate(self.cadres - self.nothing, self.cadres)


@dataclass
class CoverageRow(Tally):
    """A line of a coverage table: a rank, or a unit's rank."""

    label: str = ""
    unit: str = ""
    rank: str = ""
    #: Where its names are: the unit (a forum's slug, "" for the selection's
    #: own) and the rank's id (None: every rank; 0: without a rank).
    slug: str = ""
    rank_id: int | None = None
    #: Where the page links its counts (set by the page).
    links: dict = field(default_factory=dict)


@dataclass
class Coverage:
    query: CoverageQuery
    totals: Tally = field(default_factory=Tally)
    by_rank: list[CoverageRow] = field(default_factory=list)
    by_unit: list[CoverageRow] = field(default_factory=list)
    #: Cadres without a rank yet (an account made before ranks were
    #: required): shown in their own row, judged by the default quota.
    unranked: int = 0


class Judged:
    """The expressions that judge each cadre of a selection in the database,
    from his kept hours (`records.models.YearHours`): the hours that count
    (caps applied), the pro-rata quota of his rank at the query's day, and
    whether he attended something. In tenths of an hour, so the comparison
    is exact on every database."""

    def __init__(self, query: CoverageQuery, rules: LedgerRules, ranks: list[Rank]):
        day = query.day

        def tenths(quota: Decimal) -> int:
            return int(pro_rata(quota, query.year, day).scaleb(1))

        def kept(source: str):
            return Coalesce(F(f"kept__{source}"), 0)

        def counted(source: str):
            cap = rules.caps.get(source)
            if cap is None:
                return kept(source)
            return Least(kept(source), Value(int(cap.scaleb(1))))

        sources = list(Source)
        self.counted = sum(
            (counted(source) for source in sources[1:]), counted(sources[0])
        )
        self.expected = Case(
            *(
                When(rank_id=rank.pk, then=Value(tenths(rank.yearly_hours)))
                for rank in ranks
            ),
            default=Value(tenths(rules.default_quota)),
        )
        if query.themed:
            self.attended = Q(user_id__in=query.attended().values("user_id"))
        else:
            elsewhere = sum(
                (kept(source) for source in EXTERNAL_SOURCES[1:]),
                kept(EXTERNAL_SOURCES[0]),
            )
            # Without a theme, approved training elsewhere is taking part too.
            self.attended = Q(GreaterThan(kept("attended"), 0)) | Q(
                GreaterThan(elsewhere, 0)
            )
        self.met = Q(GreaterThanOrEqual(self.counted, self.expected))

    def cadres(self, query: CoverageQuery):
        """The selection's profiles joined to their kept hours of the year."""
        return with_year_hours(query.cadres(), query.year, "user__")

    def status(self, status: str | None) -> Q:
        """The names' groups (`CadreLine.is_`) as a filter."""
        if status == "behind":
            return ~self.met
        if status == "nothing":
            return ~self.attended
        if status == "met":
            return self.met
        return Q()


def _ranks() -> list[Rank]:
    """The ranks in the list's order; one query."""
    return list(Rank.objects.order_by("sort_order", "pk"))


class CadreLines(Sequence):
    """The cadres of a selection (in the names' group `status`, if given),
    in unit and name order, read as they are asked for: its length is a
    count, a slice reads only those lines (a page of names among 135,000
    behind at 100× the seed), and the whole list is read at once."""

    def __init__(
        self,
        query: CoverageQuery,
        *,
        rules: LedgerRules | None = None,
        status: str | None = None,
    ):
        self.query = query
        self.rules = rules or LedgerRules.for_default_site()
        self.judged = Judged(query, self.rules, _ranks())
        self.rows = (
            self.judged.cadres(query)
            .filter(self.judged.status(status))
            .order_by("unit_forum__path", "real_name", "pk")
        )

    @cached_property
    def _count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._lines(self.rows[index])
        return self._lines(self.rows[index : index + 1])[0]

    def __iter__(self):
        return iter(self._lines(self.rows))

    def _lines(self, rows) -> list[CadreLine]:
        values = rows.annotate(
            came=ExpressionWrapper(self.judged.attended, output_field=BooleanField())
        ).values_list(
            "user_id",
            "real_name",
            "unit_forum__unit_name",
            "unit_forum__path",
            "position",
            "rank_id",
            "rank__name",
            "rank__yearly_hours",
            "came",
            *KEPT_HOURS,
        )
        day, year, rules = self.query.day, self.query.year, self.rules
        lines = []
        for (
            user_id,
            name,
            unit,
            path,
            position,
            rank_id,
            rank_name,
            quota,
            came,
            *tenths,
        ) in values:
            book = year_ledger(year, rules, user_id, rank_id, rank_name, quota, tenths)
            lines.append(
                CadreLine(
                    user_id=user_id,
                    name=name,
                    unit=unit or "",
                    unit_path=path or "",
                    position=position,
                    rank_id=rank_id,
                    rank_name=rank_name or "",
                    attended=bool(came),
                    ledger=book,
                    on=day,
                    met=book.met(day),
                    expected=book.expected(day),
                )
            )
        return lines


def cadre_lines(
    query: CoverageQuery,
    *,
    rules: LedgerRules | None = None,
    status: str | None = None,
) -> list[CadreLine]:
    """Every cadre of the selection (in the names' group `status`, if given)
    with his ledger; two queries (the ranks, the cadres with their kept
    hours), however many cadres."""
    return list(CadreLines(query, rules=rules, status=status))


#: The tallies from each cadre's flags: grouped first by unit forum and rank
#: (whole numbers, a cheap sort), then by the units the table lists (a few
#: thousand rows). The flags are computed before the grouping (MATERIALIZED:
#: SQLite would otherwise carry every kept column through its sort, twice
#: the time at 100× the seed).
TALLIES = """
WITH judged AS MATERIALIZED ({cadres}),
cells AS (
    SELECT unit_forum_id, rank_id, COUNT(*) AS cadres, SUM(met_flag) AS met,
        SUM(idle_flag) AS idle
    FROM judged GROUP BY unit_forum_id, rank_id
)
SELECT SUBSTR(page.path, 1, %s), cells.rank_id, SUM(cells.cadres),
    SUM(cells.met), SUM(cells.idle)
FROM cells LEFT JOIN {pages} page ON page.{page_id} = cells.unit_forum_id
GROUP BY 1, 2
"""


def _tallies(query: CoverageQuery, rules: LedgerRules, ranks: list[Rank], length: int):
    """{(unit path prefix of `length`, rank id or 0): Tally} of the
    selection, counted by the database in one query."""
    judged = Judged(query, rules, ranks)
    cadres = (
        judged.cadres(query)
        .annotate(
            met_flag=Case(When(judged.met, then=1), default=0),
            idle_flag=Case(When(~judged.attended, then=1), default=0),
        )
        .order_by()
        .values_list("unit_forum_id", "rank_id", "met_flag", "idle_flag")
    )
    sql, params = cadres.query.sql_with_params()
    quote = connection.ops.quote_name
    statement = TALLIES.format(
        cadres=sql,
        pages=quote(Page._meta.db_table),
        page_id=quote(Page._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, length))
        rows = cursor.fetchall()
    return {
        # PostgreSQL sums sums as numeric: whole numbers, as ints.
        (unit or "", rank_id or 0): Tally(int(count), int(met), int(nothing))
        for unit, rank_id, count, met, nothing in rows
    }


def _rank_order(ranks: list[Rank], without: bool) -> list[tuple[int, str]]:
    """(rank id, name) of the ranks in the list's order, then "no rank" (0)
    if some cadre has none."""
    order = [(rank.pk, rank.name) for rank in ranks]
    if without:
        order.append((0, _("No rank")))
    return order


def _units(query: CoverageQuery) -> tuple[list[tuple[str, str, str]], int]:
    """(path, slug, title) of the units a breakdown lists — the selected
    forum's children, each with everything below it — and the length of
    their paths; one query."""
    root = query.forum
    if root is None:
        root = DistrictForumPage.objects.live().order_by("path").first()
        if root is None:
            return [], 0
    length = len(root.path) + ForumPage.steplen
    children = list(
        ForumPage.objects.live()
        .filter(below(root.path), depth=root.depth + 1)
        .order_by("path")
        .values_list("path", "slug", "title")
    )
    own = (root.path, "", _("%(forum)s (its own cadres)") % {"forum": root.title})
    return [*children, own], length


def coverage(query: CoverageQuery, *, rules: LedgerRules | None = None) -> Coverage:
    """The selection's coverage: totals, by rank, by unit × rank; three
    queries (the ranks, the units, the grouped count)."""
    rules = rules or LedgerRules.for_default_site()
    ranks = _ranks()
    units, length = _units(query)
    found = _tallies(query, rules, ranks, length)
    order = _rank_order(ranks, any(rank_id == 0 for _unit, rank_id in found))
    by_rank = {rank_id: Tally() for rank_id, _name in order}
    cells: dict[tuple[str, int], Tally] = {}
    known = {path for path, _slug, _title in units}
    own_path = units[-1][0] if units else ""
    for (unit, rank_id), tally in found.items():
        by_rank[rank_id].absorb(tally)
        # A cadre of the forum itself, or of a forum no longer published.
        unit = unit if unit in known else own_path
        cell = cells.get((unit, rank_id))
        if cell is None:
            cells[unit, rank_id] = cell = Tally()
        cell.absorb(tally)
    totals = sum(by_rank.values(), Tally())
    rank_rows = [
        _row(by_rank[rank_id], label=name, rank=name, rank_id=rank_id)
        for rank_id, name in order
        if by_rank[rank_id].cadres
    ]
    unit_rows = []
    for path, slug, title in units:
        for rank_id, name in order:
            tally = cells.get((path, rank_id))
            if tally is not None:
                unit_rows.append(
                    _row(
                        tally,
                        label=title,
                        unit=title,
                        rank=name,
                        slug=slug,
                        rank_id=rank_id,
                    )
                )
    return Coverage(
        query=query,
        totals=totals,
        by_rank=rank_rows,
        by_unit=unit_rows,
        unranked=by_rank[0].cadres if 0 in by_rank else 0,
    )


def _row(tally: Tally, **labels) -> CoverageRow:
    return CoverageRow(
        cadres=tally.cadres, met=tally.met, nothing=tally.nothing, **labels
    )


def coverage_rate(query: CoverageQuery, *, rules: LedgerRules | None = None) -> Tally:
    """The selection's totals only (the dashboard's figure); two queries."""
    rules = rules or LedgerRules.for_default_site()
    return sum(_tallies(query, rules, _ranks(), 0).values(), Tally())
