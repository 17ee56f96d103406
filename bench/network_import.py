"""How long the network workbook takes: the demo at each scale exported,
then imported into an empty installation (migrate + setup_network), then
imported again (nothing to change). SQLite files under bench/.cache/import/.

    .venv/bin/python bench/network_import.py [SCALE ...]   (default: 1 10)
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".cache" / "import"
PY = str(ROOT / ".venv" / "bin" / "python")


def manage(db: Path, *args: str) -> float:
    env = {
        **os.environ,
        "SQLITE_PATH": str(db),
        "DJANGO_SETTINGS_MODULE": "training_site.settings.dev",
    }
    started = time.monotonic()
    subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.monotonic() - started


def fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-writers"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    manage(db, "migrate", "--noinput")
    manage(db, "createcachetable")


def measure(scale: int) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    demo, empty = WORK / f"demo-{scale}.sqlite3", WORK / f"empty-{scale}.sqlite3"
    workbook = WORK / f"network-{scale}.xlsx"
    fresh(demo)
    load = manage(demo, "load_demo", "--scale", str(scale))
    export = manage(demo, "export_network", str(workbook))
    fresh(empty)
    manage(
        empty,
        "setup_network",
        "--no-input",
        "--district",
        "区级干部大讲坛",
        "--department",
        "区委组织部",
        "--username",
        "admin",
        "--password",
        "Bench-Pass-2026",
    )
    first = manage(empty, "import_network", str(workbook))
    again = manage(empty, "import_network", str(workbook))
    return {
        "scale": scale,
        "load_demo_s": round(load, 1),
        "export_s": round(export, 1),
        "import_s": round(first, 1),
        "reimport_s": round(again, 1),
        "workbook_bytes": workbook.stat().st_size,
    }


if __name__ == "__main__":
    scales = [int(s) for s in sys.argv[1:]] or [1, 10]
    for scale in scales:
        print(json.dumps(measure(scale)), flush=True)
