"""Strategies for junk input: what a careless or hostile client may send."""

from hypothesis import strategies as st

# Strings that have broken web apps before, beside whatever hypothesis invents.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-30",
    "0000-01-01",
    "9999-12-31",
    "1899-12-31",
    "2101-01-01",
    "’; DROP TABLE lectures_registration; --",
    "<script>alert(1)</script>",
    "%",
    "_",
    "%00",
    "../../etc/passwd",
    "城关镇",
    "chengguan",
    "village",
    "\u202e",
    "\ud7ff",
    "😀" * 30,
    "x" * 5000,
]

junk_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.from_regex(r"\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True),
)


def query(keys: list[str]):
    """A query string's worth of parameters: known names and stray ones."""
    names = st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=12))
    return st.dictionaries(names, st.one_of(junk_text, st.lists(junk_text, max_size=3)))
