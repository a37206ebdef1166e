"""Known-item relevance on the real corpus: Manchette against SQLite FTS5, per language.

    python bench/relevance.py [--corpus ../shared/corpus] [--index-dir DIR] [--per-lang 300]

For a seeded random sample of articles per language, the query is 3-5 of the most distinctive
words of the article's title (the first sentence when the dataset has no title), and the article
is the single right answer. The same queries are run with accents stripped. Both engines index
the same articles: Manchette through its real indexer (or an index given with --index-dir),
FTS5 with `unicode61 remove_diacritics 2` and bm25 with title weight 3. Reports MRR@10 and
recall@10, writes bench/results/relevance-<date>.json and doc/relevance.md.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from knownitem import (  # noqa: E402
    SETS,
    duplicates,
    headline,
    make_sets,
    strip_accents,
    typed_words,
)
from workload import load_corpus  # noqa: E402

from engines import index_paths  # noqa: E402
from engines.whoosh.execute import run_search  # noqa: E402
from engines.whoosh.scoring import weighting  # noqa: E402
from engines.whoosh.writer import open_index  # noqa: E402
from search.request import SearchRequest  # noqa: E402

SEED = 20261128
START, END = "<!-- results:start -->", "<!-- results:end -->"  # doc/relevance.md's generated part


def make_queries(records: list[dict], per_lang: int) -> list[dict]:
    df: Counter = Counter()
    for r in records:
        df.update({w.casefold() for w in typed_words(headline(r) + " " + r["text"][:2000])})
    n = len(records)
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_lang[r["lang"]].append(r)
    rng = random.Random(SEED)
    queries = []
    for lang, items in sorted(by_lang.items()):
        for r in rng.sample(items, min(per_lang, len(items))):
            words = [
                w
                for w in dict.fromkeys(typed_words(headline(r)))
                if len(w) >= 3 and not w.isdigit()
            ]
            words.sort(key=lambda w: math.log(n / (1 + df[w.casefold()])), reverse=True)
            chosen = words[: max(3, min(5, len(words)))]
            if len(chosen) < 3:
                continue
            text = " ".join(chosen)
            queries.append(
                {"lang": lang, "id": str(r["id"]), "q": text, "q_plain": strip_accents(text)}
            )
    return queries


def fts5_index(records: list[dict]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.executemany(
        "INSERT INTO a VALUES (?, ?, ?)",
        ((str(r["id"]), r.get("title") or "", r["text"]) for r in records),
    )
    return db


def fts5_search(db: sqlite3.Connection, q: str) -> list[str]:
    match = " ".join('"' + w.replace('"', "") + '"' for w in typed_words(q))
    if not match:
        return []
    rows = db.execute(
        "SELECT id FROM a WHERE a MATCH ? ORDER BY bm25(a, 0, 3.0, 1.0) LIMIT 10", (match,)
    ).fetchall()
    return [r[0] for r in rows]


def score(ranked: list[str], target: str) -> tuple[float, float]:
    if target in ranked[:10]:
        return 1.0 / (ranked.index(target) + 1), 1.0
    return 0.0, 0.0


def evaluate(queries: list[dict], search) -> dict:
    per_lang: dict[str, dict] = defaultdict(
        lambda: {"n": 0, "mrr": 0.0, "recall": 0.0, "mrr_plain": 0.0, "recall_plain": 0.0}
    )
    for q in queries:
        row = per_lang[q["lang"]]
        row["n"] += 1
        for key, text in (("", q["q"]), ("_plain", q["q_plain"])):
            rr, hit = score(search(text), q["id"])
            row["mrr" + key] += rr
            row["recall" + key] += hit
    for row in per_lang.values():
        for key in ("mrr", "recall", "mrr_plain", "recall_plain"):
            row[key] = round(row[key] / row["n"], 4)
    return dict(sorted(per_lang.items()))


def score_copies(ranked: list[str], target: str, copies: set[str]) -> float:
    """Reciprocal rank of the article or of a copy of it (``knownitem.duplicates``)."""
    for rank, found in enumerate(ranked[:10], start=1):
        if found == target or found in copies:
            return 1.0 / rank
    return 0.0


def evaluate_sets(queries: list[dict], search, copies: dict[str, set[str]] | None = None) -> dict:
    """MRR@10 per set and language; with ``copies``, also ``mrr_copies``: a copy of the
    article counts as the article."""
    sums: dict = defaultdict(lambda: defaultdict(lambda: [0, 0.0, 0.0]))
    for q in queries:
        ranked = search(q["q"])
        cell = sums[q["set"]][q["lang"]]
        cell[0] += 1
        cell[1] += score(ranked, q["id"])[0]
        cell[2] += score_copies(ranked, q["id"], (copies or {}).get(q["id"], set()))
    return {
        name: {
            lang: {"n": n, "mrr": round(total / n, 4)}
            | ({"mrr_copies": round(with_copies / n, 4)} if copies is not None else {})
            for lang, (n, total, with_copies) in sorted(langs.items())
        }
        for name, langs in sums.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--index-dir", type=Path, help="an index of the corpus to reuse")
    parser.add_argument("--per-lang", type=int, default=300)
    parser.add_argument("--per-set", type=int, default=200, help="queries per known-item set")
    parser.add_argument(
        "--sets-only", action="store_true", help="only the known-item sets; print, write nothing"
    )
    parser.add_argument(
        "--bm25",
        help="B,K1 to try instead of the ranking rules' values "
        "(Manchette only; prints the table, writes nothing)",
    )
    args = parser.parse_args()
    if args.bm25:
        import search.ranking as ranking

        b, k1 = (float(x) for x in args.bm25.split(","))
        ranking.RULES = tuple(
            ranking.Rule(r.name, {"bm25f.b": b, "bm25f.k1": k1}.get(r.name, r.value), r.help)
            for r in ranking.RULES
        )
    if not list(args.corpus.glob("*.jsonl.gz")):
        print(f"no corpus in {args.corpus}: nothing to measure", file=sys.stderr)
        return 0
    records = load_corpus(args.corpus)
    queries = make_queries(records, args.per_lang)
    set_queries = make_sets(records, args.per_set)
    copies = duplicates(records)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir
        if index_dir is None:
            index_dir = Path(tmp) / "index"
            started = time.perf_counter()
            index_paths(sorted(args.corpus.glob("*.jsonl.gz")), index_dir)
            print(f"indexed in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        with open_index(index_dir).searcher(weighting=weighting()) as searcher:

            def manchette(text: str) -> list[str]:
                request = SearchRequest(q=text, limit=10, collapse=False).validate()
                return [h.id for h in run_search(searcher, request).hits]

            ours_sets = evaluate_sets(set_queries, manchette, copies)
            if args.sets_only:
                print_sets(ours_sets, None)
                return 0
            ours = evaluate(queries, manchette)
    if args.bm25:
        for lang, row in ours.items():
            print(f"b,k1={args.bm25} {lang} MRR@10 {row['mrr']:.4f} plain {row['mrr_plain']:.4f}")
        return 0
    db = fts5_index(records)
    fts5 = evaluate(queries, lambda text: fts5_search(db, text))
    fts5_sets = evaluate_sets(set_queries, lambda text: fts5_search(db, text), copies)
    with_copies = len({q["id"] for q in set_queries} & copies.keys())
    write_report(ours, fts5, len(queries), ours_sets, fts5_sets, with_copies)
    return 0


def sets_table(ours: dict, fts5: dict | None, key: str = "mrr") -> list[str]:
    """One row per set, one column per language: Manchette / FTS5 MRR@10 (n); ``key``
    ``mrr_copies`` counts a copy of the article as right."""
    langs = sorted({lang for table in ours.values() for lang in table})
    lines = [
        "| set | " + " | ".join(langs) + " |",
        "|---|" + "---:|" * len(langs),
    ]
    for name in SETS:
        if name not in ours:
            continue
        cells = []
        for lang in langs:
            row = ours[name].get(lang)
            if row is None:
                cells.append("—")
                continue
            other = fts5[name][lang][key] if fts5 else None
            mark = "" if other is None or row[key] >= other else " ✗"
            versus = f" / {other:.3f}" if other is not None else ""
            cells.append(f"{row[key]:.3f}{versus}{mark} ({row['n']})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def print_sets(ours: dict, fts5: dict | None) -> None:
    print("\n".join(sets_table(ours, fts5)))


def write_report(
    ours: dict, fts5: dict, n: int, ours_sets: dict, fts5_sets: dict, with_copies: int
) -> None:
    today = date.today().isoformat()
    out = ROOT / "bench" / "results" / f"relevance-{today}.json"
    out.write_text(
        json.dumps(
            {
                "date": today,
                "queries": n,
                "seed": SEED,
                "manchette": ours,
                "fts5": fts5,
                "sets": {"manchette": ours_sets, "fts5": fts5_sets},
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    lines = [
        f"Measured {today} by `make bench-relevance` (`bench/relevance.py`, seed {SEED}) on "
        "`../shared/corpus/`, Manchette (in-process `run_search`, uncollapsed) against SQLite "
        "FTS5 (`unicode61 remove_diacritics 2`, bm25 with title weight 3), same articles.",
        "",
        "### Distinctive title words",
        "",
        "For a random sample of articles per language, a query of 3-5 of the most distinctive "
        "title words as a person types them (split on spaces, punctuation trimmed; first "
        "sentence when there is no title); the article is the single right answer. *plain* = "
        "the same queries with accents stripped.",
        "",
        "| lang | queries | Manchette MRR@10 | FTS5 MRR@10 | Manchette R@10 | FTS5 R@10 "
        "| Manchette MRR plain | FTS5 MRR plain |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for lang, row in ours.items():
        other = fts5[lang]
        lines.append(
            f"| {lang} | {row['n']} | {row['mrr']:.3f} | {other['mrr']:.3f} | "
            f"{row['recall']:.3f} | {other['recall']:.3f} | {row['mrr_plain']:.3f} | "
            f"{other['mrr_plain']:.3f} |"
        )
    lines += [
        "",
        "### Known-item sets (`bench/knownitem.py`)",
        "",
        "MRR@10, Manchette / FTS5 (queries); ✗ marks a cell where Manchette is behind.",
        "",
        *sets_table(ours_sets, fts5_sets),
        "",
        "The same, counting a copy of the article as right (`knownitem.duplicates`: the same "
        "headline but for one word and mostly the same words, one story sent twice; "
        f"{with_copies} of the sampled articles have one):",
        "",
        *sets_table(ours_sets, fts5_sets, key="mrr_copies"),
    ]
    doc = ROOT / "doc" / "relevance.md"
    text = (
        doc.read_text(encoding="utf-8")
        if doc.exists()
        else f"# Known-item relevance\n\n{START}\n{END}\n"
    )
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    doc.write_text(head + START + "\n" + "\n".join(lines) + "\n" + END + tail, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
