"""A long breakdown shows its first rows and one line summing the rest."""

from decimal import Decimal

from stats.figures import ADDITIVE, Figures
from stats.network import Row
from stats.tables import ROWS_SHOWN, Table


def forum_row(number: int) -> Row:
    return Row(
        sessions_held=number % 3,
        participants=number,
        roster_size=number,
        roster_attended=number,
        study_hours_offered=Decimal(number % 3),
        key=f"f{number}",
        label=f"Forum {number}",
        slug=f"f{number}",
    )


def test_a_short_table_shows_every_row():
    rows = [forum_row(n) for n in range(ROWS_SHOWN)]
    table = Table("forum", "By forum", "Forum", rows, sum(rows, Figures()))
    assert [row for row, _ in table.lines()] == rows


def test_a_long_table_sums_the_rows_beyond_the_page_in_one_line():
    rows = [forum_row(n) for n in range(ROWS_SHOWN + 50)]
    totals = sum(rows, Figures())
    table = Table("forum", "By forum", "Forum", rows, totals)
    shown = [row for row, _ in table.lines()]
    assert len(shown) == ROWS_SHOWN
    assert shown[:-1] == rows[: ROWS_SHOWN - 1]
    rest = shown[-1]
    assert "51" in rest.label
    assert not rest.slug
    assert not rest.not_reporting
    together = sum(shown, Figures())
    assert {name: getattr(together, name) for name in ADDITIVE} == {
        name: getattr(totals, name) for name in ADDITIVE
    }
    # the spreadsheet still has every row
    assert len(table.body) == ROWS_SHOWN + 50
