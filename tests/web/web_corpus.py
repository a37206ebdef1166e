"""The small hand-made corpus of the web tests: dated kumquat stories (some with titles a
spreadsheet would run as formulas), one undated, and one wire story copied by three sites."""

from __future__ import annotations

HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example/","kumquat prices")',
    "+SUM(1+1) kumquat",
    "-2+3 kumquat",
    "@SUM(A1) kumquat",
]
WIRE = (
    "Wombats were seen crossing the main bridge of the capital early on Monday morning, "
    "forcing traffic to stop for almost an hour while rangers guided the animals back to "
    "the park. Officials said nobody was hurt and that the wombats were healthy. Rangers "
    "plan to build a fence along the river before the summer season begins in the region."
)


def kumquat(i: int, title: str, date: str | None) -> dict:
    return {
        "id": f"k{i}",
        "url": f"https://news.example/k{i}",
        "source": "Fruit Daily",
        "lang": "en",
        "title": title,
        "date": date,
        "text": f"Kumquat story number {i}. Growers discussed the kumquat harvest at length.",
    }


def small_records() -> list[dict]:
    records = [kumquat(i, t, f"2015-0{i + 1}-10") for i, t in enumerate(HOSTILE_TITLES)]
    records += [kumquat(10 + i, f"Kumquat report {i}", f"2016-{i + 1:02d}-01") for i in range(12)]
    records.append(kumquat(99, "Undated kumquat note", None))
    for n, site in enumerate(("Wire A", "Wire B", "Wire C")):
        records.append(
            {
                "id": f"w{n}",
                "source": site,
                "lang": "en",
                "title": "Wombats stop traffic on the bridge",
                "date": f"2017-03-0{n + 1}",
                "text": WIRE + f" Reported by {site}.",
            }
        )
    return records
