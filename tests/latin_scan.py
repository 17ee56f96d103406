"""Finding English left in a Chinese admin page: visible text, the labels a
screen reader or a tooltip reads, and the sidebar's menu (rendered by
JavaScript from a JSON island), minus proper nouns and file formats."""

import json
import re
from html.parser import HTMLParser

# Names and formats that stay as they are in Chinese text.
PROPER_NOUNS = frozenset(
    {
        "Wagtail",
        "Excel",
        "PDF",
        "iCalendar",
        "API",
        "QR",
        "xlsx",
        "XLSX",
        "csv",
        "CSV",
        "ID",
        "URL",
        "SMS",
        "JSON",
        "HTML",
        "Chart",
        "js",
        "Draftail",
        "Markdown",
        "Email",
        "email",
        "iOS",
        "Android",
        "WPS",
        "Outlook",
        "Google",
        "Apple",
        "JavaScript",
        "UTF",  # UTF-8, the encoding
        # A language is named in its own language in the language switch.
        "English",
    }
)
# English that Wagtail 8.0 writes into its templates without gettext, so no
# catalogue reaches it: the hidden submit button of its search forms
# (`wagtailadmin/home.html`, `shared/header.html`, for screen readers only).
WAGTAIL_HARD_CODED = frozenset({"Search"})
WORD = re.compile(r"[A-Za-z][A-Za-z’'\-]*[A-Za-z]")
# Not words of the interface: addresses, user names, file names, codes.
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|webcal://\S+|/\S*|\b\w+\.\w+\b|\b\w*[_\d]\w*\b"
)
# A slug shown as data (a field's or category's 标识), not a word of the UI.
SLUG = re.compile(r"^\s*[a-z]+(?:-[a-z]+)*\s*$")
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "aria-description")
SKIPPED = {"script", "style", "template", "code", "pre", "textarea", "svg"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.json: list[str] = []
        self._skip: list[str] = []
        self._json_script = False
        self._zone_select = False
        self._hidden = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Wagtail's side-panel counters print Python's None while hidden,
        # until JavaScript puts a number there.
        self._hidden = "hidden" in attrs
        if tag == "script" and attrs.get("type") == "application/json":
            self._json_script = True
        if tag == "select":
            # Time zones are named by their IANA identifiers everywhere.
            self._zone_select = "time_zone" in (attrs.get("name") or "")
        if tag in SKIPPED or (tag == "option" and self._zone_select):
            self._skip.append(tag)
        if self._skip:
            return
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            value = attrs.get("value") or ""
            if value not in WAGTAIL_HARD_CODED:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        if tag == "script":
            self._json_script = False

    def handle_data(self, data):
        if self._json_script:
            self.json.append(data)
        elif not self._skip and not (self._hidden and data.strip() == "None"):
            self.parts.append(data)


def _labels(node, found: list[str], urls: list[str]):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"label", "footer_text"} and isinstance(value, str):
                found.append(value)
            elif key == "url" and isinstance(value, str):
                urls.append(value)
            else:
                _labels(value, found, urls)
    elif isinstance(node, list):
        for item in node:
            _labels(item, found, urls)


def parse(html: str) -> tuple[list[str], list[str]]:
    """(texts a person reads, admin URLs of the sidebar's menu)."""
    parser = _Text()
    parser.feed(html)
    texts, urls = list(parser.parts), []
    for island in parser.json:
        try:
            _labels(json.loads(island), texts, urls)
        except ValueError:
            continue
    return texts, [url for url in urls if url.startswith("/admin/")]


def english(text: str) -> list[str]:
    """The English words of a text, proper nouns and non-words left out."""
    text = NOT_WORDS.sub(" ", text)
    return [word for word in WORD.findall(text) if word not in PROPER_NOUNS]


def untranslated(html: str) -> dict[str, str]:
    """English word → the first text it was found in."""
    texts, _urls = parse(html)
    found: dict[str, str] = {}
    for text in texts:
        if SLUG.match(text):
            continue
        for word in english(text):
            found.setdefault(word, " ".join(text.split())[:120])
    return found


def menu_urls(html: str) -> list[str]:
    return parse(html)[1]
