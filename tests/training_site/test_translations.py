"""Chinese first: every string we mark for translation has a Chinese text."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.*)"$', re.M)


def po_entries(path: Path) -> list[str]:
    """The raw text of each entry of a .po file, the header left out."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [block for block in blocks[1:] if "msgid" in block]


def unescape(text: str) -> str:
    """Undo the C-style escapes of a .po string."""
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


def msgids(path: Path) -> set[str]:
    ids = set()
    for block in po_entries(path):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        ids.add(unescape("".join(re.findall(r'"(.*)"', match.group(1)))))
    return ids


def test_every_entry_has_a_chinese_text():
    untranslated = []
    for block in po_entries(CATALOGUE / "django.po"):
        empty = re.search(r'^msgstr(\[0\])? ""\Z', block.strip(), re.M)
        if "#, fuzzy" in block or empty:
            untranslated.append(block.splitlines()[-2:])
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # A message with a context (pgettext) is compiled as "context\x04msgid".
    ids = {
        (key if isinstance(key, str) else key[0]).split("\x04")[-1]
        for key in compiled._catalog
    }
    missing = msgids(CATALOGUE / "django.po") - ids
    assert missing == set(), "run `make messages` to recompile django.mo"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext not installed")
def test_no_string_is_missing_from_the_catalogue(tmp_path):
    """`makemessages` on a copy of the code finds nothing new to translate."""
    work = tmp_path / "src"
    # Every first-party app (a folder with an apps.py), so a new app is covered.
    for app in sorted(path.parent for path in ROOT.glob("*/apps.py")):
        shutil.copytree(app, work / app.name, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    (work / "locale").mkdir()
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--verbosity",
            "0",
        ],
        cwd=work,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "training_site.settings.test",
            "PATH": "/usr/bin",
        },
    )
    fresh = msgids(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert fresh - msgids(CATALOGUE / "django.po") == set()


def test_the_site_speaks_chinese_by_default(client, db):
    response = client.get("/schedule/")
    assert response.status_code == 200
    assert "日程" in response.content.decode()
    with translation.override("en"):
        assert translation.gettext("Schedule") == "Schedule"
