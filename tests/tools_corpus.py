"""A small corpus for batch search, trends and exports: a wire story whose copies were dated in
three different months (one copy undated), dated and undated articles in two languages, and
a second wire story with no dated copy at all."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths

WIRE = (
    "The river authority opened the northern flood gates on Sunday after three days of heavy "
    "rain raised the water level above the warning mark, and asked residents of the low "
    "districts to move their cars to higher ground before the evening. Engineers said the "
    "dikes were holding and that the gates would stay open until the level fell, which could "
    "take most of the week if the forecast of more storms over the hills turned out right. "
    "Schools in two villages closed as a precaution and buses were diverted around the "
    "bridge, which the police closed to heavy lorries until further notice from the mayor"
)
MEMO = (
    "The museum board approved the budget for the new wing during a long meeting that ended "
    "late on Thursday, after months of debate about the cost of the glass roof and the "
    "number of rooms for temporary exhibitions. The director said building would begin in "
    "spring and that the collection of maps would move there first, followed by the prints "
    "and the photographs, once the climate control had been tested over a full summer"
)


def _article(id_: str, date: str | None, title: str, text: str, **extra: str) -> dict:
    record = {"id": id_, "lang": "en", "source": "Courier", "title": title, "text": text}
    record.update(extra)
    if date:
        record["date"] = date
    return record


def tools_records() -> list[dict]:
    records = [
        # one story, four copies: the oldest dated copy is from January
        _article("flood-a", "2019-02-27", "Flood gates open", WIRE + ".",
                 source="Wire"),
        _article("flood-b", "2019-01-30", "Gates opened", WIRE + ", the authority said."),
        _article("flood-c", "2019-03-02", "Flood gates stay open", WIRE + " Corrected."),
        _article("flood-d", None, "Flood gates", WIRE + ", officials said.", source="Gazette"),
        # a story whose two copies are both undated
        _article("memo-a", None, "Museum wing", MEMO + "."),
        _article("memo-b", None, "New museum wing", MEMO + ", police said.", source="Wire"),
    ]  # fmt: skip
    for month in range(1, 13):
        records.append(
            _article(
                f"rain-{month}",
                f"2020-{month:02d}-15",
                f"Rain report {month}",
                f"The rain gauge near the flood gates measured {month * 7} millimetres.",
            )
        )
    records += [
        _article("pluie-1", "2021-05-04", "La pluie", "Les vannes contre les crues restent "
                 "ouvertes après la pluie.", lang="fr", source="Le Courrier"),
        _article("quiet-1", "2018-07-01", "Quiet day", "Nothing happened in the market town."),
        _article("quiet-2", "2021-05-20", "Quiet night", "Nothing happened in the harbour."),
    ]  # fmt: skip
    return records


def build_tools_index(base: Path) -> Path:
    records = tools_records()
    report = index_paths([write_jsonl(base / "tools.jsonl", records)], base / "ix")
    assert report.added == len(records) and not report.rejected, report
    return base / "ix"
