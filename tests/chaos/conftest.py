"""One hostile archive and one real server, shared by the chaos tests of this folder.

The archive: 800 synthetic articles (a 6,000-word vocabulary, so that ``a*`` has a lot to
expand), articles carrying script and formula payloads in every field, and the seed page
dump with payloads in its "read also" lines and photo credit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaoslib import Server, run_manchette, serve, write_corpus

from builders import SEED

PAYLOADS = {
    "title": "<script>alert('title')</script> Zebra crossing headline",
    "body": (
        "The zebra story says <script>alert('body')</script> and "
        "<img src=x onerror=alert('img')> and <a href=\"javascript:alert('a')\">a link</a>.\n\n"
        "A second zebra paragraph with <iframe src=//evil.example></iframe> and onload=alert(1)."
    ),
    "source": "<img src=x onerror=alert('source')> Evil Wire",
    "url": "javascript:alert('url')",
}
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A9)"]
SCRIPT_MARKERS = ("alert('", "alert(1)")


def _records() -> list[dict]:
    records = [
        {
            "id": "inj-1",
            "lang": "en",
            "date": "2021-05-01",
            "title": PAYLOADS["title"],
            "text": PAYLOADS["body"],
            "source": PAYLOADS["source"],
            "url": PAYLOADS["url"],
        },
        {
            "id": "inj-2\"><script>alert('id')</script>",
            "lang": "en",
            "title": "Zebra herds <svg/onload=alert('svg')>",
            "text": "Zebras crossing the river, a plain zebra article.",
            "url": "JaVaScRiPt:alert('mixedcase')",
        },
    ]
    for number, formula in enumerate(FORMULAS):
        records.append(
            {
                "id": f"formula-{number}",
                "lang": "en",
                "title": f"{formula} zebra formula {number}",
                "text": f"Zebra spreadsheet story number {number} with its own words.",
                "source": formula,
            }
        )
    return records


@pytest.fixture(scope="session")
def hostile_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    inputs = base / "in"
    write_corpus(inputs, 800, per_file=200, tag="v", seed=21)
    records = _records()
    (inputs / "injection.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    dump = SEED.read_text(encoding="utf-8")
    dump = dump.replace(
        "L’OTAN veut renouer le contact avec la Russie",
        "<script>alert('related')</script> L’OTAN veut renouer le contact avec la Russie",
    ).replace(
        "Capture d'écran du site www.nato.int",
        "Capture d'écran <svg onload=alert('credit')> www.nato.int",
    )
    (inputs / "seed-injected.txt").write_text(dump, encoding="utf-8")
    index_dir = base / "index"
    done = run_manchette("index", str(inputs), "--index-dir", str(index_dir), "--quiet")
    assert done.returncode == 0, done.stderr
    return index_dir


@pytest.fixture(scope="session")
def server(hostile_archive: Path) -> Iterator[Server]:
    with serve(hostile_archive) as running:
        yield running
