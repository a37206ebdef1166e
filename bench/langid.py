"""Language detection against the corpus labels: accuracy and confusion per language.

    python bench/langid.py [--corpus ../shared/corpus] [--out bench/results/langid.json]

Detection runs on what the indexer sees: the title and the text of each record.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.language import detect_language  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "langid.json")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.jsonl.gz"))
    if not files:
        print(f"no *.jsonl.gz in {args.corpus}: nothing to measure", file=sys.stderr)
        return 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    started = time.perf_counter()
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = "\n\n".join(x for x in (record.get("title"), record.get("text")) if x)
                confusion[record["lang"]][detect_language(text) or "?"] += 1
    seconds = time.perf_counter() - started
    total = sum(sum(c.values()) for c in confusion.values())
    right = sum(c[lang] for lang, c in confusion.items())
    rows = []
    print("| label | articles | agree | accuracy | detected otherwise |")
    print("|---|---:|---:|---:|---|")
    for lang, counts in sorted(confusion.items()):
        n = sum(counts.values())
        others = ", ".join(f"{k} {v}" for k, v in counts.most_common() if k != lang) or "-"
        print(f"| {lang} | {n:,} | {counts[lang]:,} | {counts[lang] / n:.4f} | {others} |")
        rows.append({"lang": lang, "articles": n, "agree": counts[lang], "confusion": counts})
    print(f"\nall: {right:,}/{total:,} = {right / total:.4f}; {total / seconds:,.0f} articles/s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "accuracy": right / total,
                "articles": total,
                "articles_per_s": total / seconds,
                "per_lang": rows,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
