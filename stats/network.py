"""The network report: the totals of a selection and its breakdowns.

By month, by tier, by forum (the children of the selected forum, each with
everything below it, plus the forum's own sessions), by field and by
category. The totals and the tables by month, tier, field and category are
folds of the same facts (`kept_facts`, grouped by month, tier and
classification: from the kept months for the whole network, from the rows
kept per forum × day × field × category below it), so each adds up to the
totals by construction; the table by forum sums the same kept rows by child
(`ForumRows`: the page's children alone), exact integer sums that add up to
them too. The number of queries does not depend on the data.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from lectures.models import (
    Category,
    DistrictForumPage,
    Field,
    ForumLevel,
    ForumPage,
)
from lectures.models.tree import next_path
from stats.activity import (
    ForumActivity,
    ForumLine,
    selected,
    subtree_lines,
)
from stats.facts import (
    Fact,
    Grouping,
    Part,
    calendar_months,
    fold,
    forum_presence,
    from_months,
    kept_facts,
)
from stats.figures import (
    Figures,
    NetworkStats,
    count_participants,
    first_day,
    grouped,
    level_key,
    summary,
)
from stats.query import ReportQuery
from training_site.background import at_once, beside

#: Forums listed as not reporting on the page; the spreadsheet lists them all.
NOT_REPORTING_SHOWN = 100


@dataclass
class Row(Figures):
    """One line of a breakdown: its label and figures."""

    key: str = ""
    label: str = ""
    #: Forum rows: the forum to drill down into, and its tier.
    slug: str = ""
    level: str = ""

    @classmethod
    def of_figures(cls, figures: Figures, label: str) -> "Row":
        return cls(**vars(figures), label=label)

    @property
    def not_reporting(self) -> bool:
        """A child forum that held nothing (a line of sums is not a forum)."""
        return bool(self.slug) and not self.sessions_held

    def as_dict(self) -> dict:
        data = super().as_dict()
        if not self.slug:
            data.pop("slug")
            data.pop("level")
        return data


def _figures(contribution: tuple | None) -> Figures | None:
    return None if contribution is None else Figures.of(contribution)


def _row(figures: Figures | None, **labels) -> Row:
    return Row(**(vars(figures) if figures else {}), **labels)


def months(facts: list[Fact], query: ReportQuery, start: date) -> list[Row]:
    """Every month of the period, with zeros where nothing happened."""
    found = grouped(facts, lambda fact: fact.month)
    return [
        _row(found.get(label), key=label, label=label)
        for label, _first in calendar_months(start, query.last_day)
    ]


def tiers(found: dict) -> list[Row]:
    return [
        _row(found.get(level), key=level, label=str(label))
        for level, label in ForumLevel.choices
    ]


def forum_root(query: ReportQuery) -> ForumPage | None:
    """The forum whose children the drill-down lists: the selected one, or the
    district forum."""
    if query.forum is not None:
        return query.forum
    return DistrictForumPage.objects.live().order_by("path").first()


#: Rows of the table by forum on a page of the report (`?forum_rows=N`);
#: a page's rows are summed alone (`ForumRows`).
FORUM_ROWS_PER_PAGE = 100


class ForumRows(Sequence):
    """The drill-down's rows: each child forum of `root` with everything
    below it, then `root`'s own line (its own sessions, and any below a
    child that is no longer published).

    At 100× the seed the district has 5,700 children and its page shows
    100 of them: a slice of at most `FORUM_ROWS_PER_PAGE` children is summed
    alone, from the rows below those children (one query); anything more —
    the spreadsheets, the print view, `lecture_stats` — sums every child at
    once (one query, grouped by forum and folded by child). The own line is
    summed when the rows are made (one query), from the forums that are in
    no published child (`forum_presence`)."""

    def __init__(self, query, root: ForumPage, children: list, presence: list):
        self._query, self._root, self._children = query, root, children
        self._length = len(root.path) + ForumPage.steplen
        paths = {line.path for line in children}
        length = self._length
        own = tuple(
            forum
            for forum, path, _held in presence
            if len(path) < length or path[:length] not in paths
        )
        self._own = _row(
            Figures.summed(
                fact.contribution for fact in self._facts(Part(forum_ids=own))
            ),
            key=root.slug,
            label=_("%(forum)s (its own sessions)") % {"forum": root.title},
        )
        self._found: dict | None = None
        self._made: dict[int, Row] = {}

    def _facts(self, part: Part | None = None) -> list[Fact]:
        grouping = Grouping(path_length=self._length, forum=True)
        return kept_facts(self._query, grouping, part)

    def __len__(self) -> int:
        return len(self._children) + 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = range(*index.indices(len(self)))
            missing = [i for i in wanted if i < len(self._children)]
            missing = [i for i in missing if i not in self._made]
            if missing and self._found is None:
                if len(missing) <= FORUM_ROWS_PER_PAGE:
                    self._read(missing[0], missing[-1])
                else:
                    self._read_all()
            return [self._row(i) for i in wanted]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        missing = index < len(self._children) and index not in self._made
        if missing and self._found is None:
            self._read_all()
        return self._row(index)

    def _read(self, first: int, last: int) -> None:
        """Sum the children from `first` to `last` (positions) alone."""
        children = self._children[first : last + 1]
        part = Part(children[0].path, next_path(children[-1].path))
        found = fold(self._facts(part), lambda fact: fact.path)
        for position, line in enumerate(children, start=first):
            self._made[position] = self._child(line, found)

    def _read_all(self) -> None:
        self._found = fold(self._facts(), lambda fact: fact.path)

    def _row(self, index: int) -> Row:
        if index == len(self._children):
            return self._own
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._child(self._children[index], self._found)
        return row

    @staticmethod
    def _child(line: ForumLine, found: dict) -> Row:
        return _row(
            _figures(found.get(line.path)),
            key=line.slug,
            label=line.title,
            slug=line.slug,
            level=line.level,
        )


def forums(
    query: ReportQuery,
    root: ForumPage | None,
    lines: list[ForumLine],
    presence: list[tuple[int, str, int]],
) -> Sequence[Row]:
    """The table by forum (`ForumRows`). The children are found among
    `lines`, the subtree's live forums in tree order (`subtree_lines`),
    which the report reads anyway."""
    if root is None:
        return []
    length = len(root.path) + ForumPage.steplen
    children = [
        line
        for line in lines
        if len(line.path) == length and line.path.startswith(root.path)
    ]
    return ForumRows(query, root, children, presence)


def _classified(facts: list[Fact], model, attribute: str) -> list[Row]:
    """Rows by field or category, in the list's order; unclassified last."""
    found = fold(facts, lambda fact: getattr(fact, attribute))
    rows = [
        _row(Figures.of(found.pop(pk)), key=slug, label=title)
        for pk, slug, title in model.objects.values_list("pk", "slug", "name")
        if pk in found
    ]
    if found:  # sessions without one
        rows.append(
            _row(Figures.summed(found.values()), key="", label=_("Unclassified"))
        )
    return rows


@dataclass
class NetworkReport:
    query: ReportQuery
    stats: NetworkStats
    months: list[Row] = field(default_factory=list)
    tiers: list[Row] = field(default_factory=list)
    forums: Sequence[Row] = field(default_factory=list)
    forum_root: ForumPage | None = None
    fields: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    not_reporting: list[dict] = field(default_factory=list)

    @property
    def not_reporting_total(self) -> int:
        return sum(self.stats.forums_not_reporting.values())

    def breakdowns(self) -> dict[str, list[Row]]:
        return {
            "month": self.months,
            "level": self.tiers,
            "forum": self.forums,
            "field": self.fields,
            "category": self.categories,
        }

    def as_dict(self) -> dict:
        """What `lecture_stats --format json` prints."""
        data = self.stats.as_dict()
        data["breakdowns"] = {
            name: [row.as_dict() for row in rows]
            for name, rows in self.breakdowns().items()
        }
        data["not_reporting"] = self.not_reporting
        return data


def network_report(
    query: ReportQuery, *, not_reporting_limit: int | None = NOT_REPORTING_SHOWN
) -> NetworkReport:
    """The totals and every breakdown of a selection, in a fixed number of queries."""
    # Counted beside everything else, which it is waited for after.
    unique = count_participants(query)
    start = first_day(query)
    root = forum_root(query)
    # By month, tier and classification: the months, tiers, fields and
    # categories and the totals — beside the rest when summed from the day
    # rows, at once from the kept months (a few milliseconds, less than a
    # connection of its own).
    by_months = Grouping(months=(start, query.last_day), classification=True)
    by_time = (at_once if from_months(query, by_months) else beside)(
        kept_facts, query, by_months
    )
    # Which forums held something (and which are the root's own line).
    presence = forum_presence(query)
    lines = subtree_lines(query)
    activity = ForumActivity(
        selected(lines, query), {forum for forum, _path, held in presence if held}
    )
    table = forums(query, root, lines, presence)
    facts = by_time.result()
    levels = fold(facts, level_key)
    breakdowns = {
        "months": months(facts, query, start),
        "tiers": tiers({level: Figures.of(summed) for level, summed in levels.items()}),
        "forums": table,
        "fields": _classified(facts, Field, "field_id"),
        "categories": _classified(facts, Category, "category_id"),
        "not_reporting": activity.not_reporting(not_reporting_limit),
    }
    # Last: it waits for the unique participants.
    stats = summary(query, start=start, activity=activity, unique=unique, levels=levels)
    return NetworkReport(query=query, stats=stats, forum_root=root, **breakdowns)
