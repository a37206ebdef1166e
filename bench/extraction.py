"""Main-text extraction benchmark on hand-labelled raw pages of ../shared/corpus/raw.

    python bench/extraction.py [--raw ../shared/corpus/raw] [--labels tests/data/labels]
                               [--out doc/extraction.md]

Each label (``tests/data/labels/<page>.json``) names a raw page and lists phrases of its real
article text (``must_contain``) and boilerplate strings seen on it (``must_not_contain``). The
page is read by the project's own readers, and for each page:

* recall: the share of ``must_contain`` phrases found in the article's title, lead or body;
* leaked: the share of ``must_not_contain`` strings (each a labelled boilerplate line) found in
  the article's title, lead or body;
* boilerplate share: the characters of body paragraphs that contain a ``must_not_contain``
  string, over all body characters;
* title: whether the title found is the labelled headline.

Phrases are compared with all whitespace removed (dumps wrap lines anywhere, segmented Chinese
has spaces between words). A label phrase missing from the page itself is reported: it is a
labelling error, not an extraction one. Prints a Markdown table and writes it to ``--out``.
Skips with a message (exit 0) when the corpus folder is missing: this is not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.article import Article  # noqa: E402
from index.sources import read_path  # noqa: E402
from index.text import decode_bytes, normalize_text  # noqa: E402


@dataclass
class PageResult:
    name: str
    kind: str
    lang: str
    found: int
    wanted: int
    bad_chars: int
    leaked: list[str]
    banned: int
    body_chars: int
    title_ok: bool
    date: str | None
    missing: list[str]
    label_errors: list[str]

    @property
    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 1.0

    @property
    def share(self) -> float:
        return self.bad_chars / self.body_chars if self.body_chars else 0.0


def squash(text: str) -> str:
    return "".join(normalize_text(text).split()).casefold()


def page_text(path: Path) -> str:
    """All the text of a raw page, to check that the label's phrases are really on it."""
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        import lxml.html

        from index.sources.html import decode_html

        tree = lxml.html.fromstring(decode_html(data))
        for node in tree.xpath("//script|//style"):
            node.drop_tree()
        return tree.text_content()
    return decode_bytes(data)


def evaluate(label_path: Path, raw: Path) -> PageResult:
    label = json.loads(label_path.read_text(encoding="utf-8"))
    path = raw / label["file"]
    articles = [a for a in read_path(path) if isinstance(a, Article)]
    article = articles[0] if articles else Article(id="")
    content = squash(f"{article.title}\n{article.lead}\n{article.body}")
    wanted = label["must_contain"]
    missing = [p for p in wanted if squash(p) not in content]
    banned = [squash(b) for b in label["must_not_contain"]]
    leaked = [b for b in label["must_not_contain"] if squash(b) in content]
    paragraphs = [p for p in article.body.split("\n\n") if p]
    bad = sum(len(p) for p in paragraphs if any(b in squash(p) for b in banned))
    on_page = squash(page_text(path))
    errors = [p for p in wanted + label["must_not_contain"] if squash(p) not in on_page]
    return PageResult(
        name=label_path.stem,
        kind=path.parent.name,
        lang=article.lang,
        found=len(wanted) - len(missing),
        wanted=len(wanted),
        bad_chars=bad,
        leaked=leaked,
        banned=len(banned),
        body_chars=sum(len(p) for p in paragraphs),
        title_ok=squash(article.title) == squash(label["title"]),
        date=article.date,
        missing=missing,
        label_errors=errors,
    )


def report(results: list[PageResult]) -> str:
    lines = [
        "| page | kind | lang | recall | leaked | boilerplate share | body chars | title | date |",
        "|------|------|------|-------:|-------:|------------------:|-----------:|:-----:|------|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.kind} | {r.lang} | {r.recall:.0%} ({r.found}/{r.wanted}) "
            f"| {len(r.leaked)}/{r.banned} "
            f"| {r.share:.1%} | {r.body_chars} | {'yes' if r.title_ok else 'no'} "
            f"| {r.date or '—'} |"
        )
    found = sum(r.found for r in results)
    wanted = sum(r.wanted for r in results)
    bad = sum(r.bad_chars for r in results)
    body = sum(r.body_chars for r in results)
    macro = sum(r.recall for r in results) / len(results)
    titles = sum(r.title_ok for r in results)
    leaked = sum(len(r.leaked) for r in results)
    banned = sum(r.banned for r in results)
    lines.append(
        f"| **all {len(results)} pages** | | | **{found / wanted:.1%}** ({found}/{wanted}; "
        f"mean per page {macro:.1%}) | **{leaked / banned:.1%}** ({leaked}/{banned}) "
        f"| **{bad / body:.1%}** | {body} "
        f"| {titles}/{len(results)} | |"
    )
    notes = []
    for r in results:
        notes += [f"- {r.name}: missed “{p}”" for p in r.missing]
        notes += [f"- {r.name}: leaked “{b}”" for b in r.leaked]
        notes += [f"- {r.name}: LABEL ERROR, not on the page: “{p}”" for p in r.label_errors]
    if notes:
        lines += ["", "Missed phrases, leaked boilerplate and label errors:", "", *notes]
    return "\n".join(lines) + "\n"


HEADER = """# Extraction benchmark

Written by `python bench/extraction.py --raw ../shared/corpus/raw` from the hand labels in
`tests/data/labels/` (one JSON file per raw page of `../shared/corpus/raw/`, which stays outside
the project: its pages may not be copied into it). A label lists phrases of the real article
text (`must_contain`) and boilerplate lines seen on the page (`must_not_contain`), written by
reading the page; the rules of `index/boilerplate.py` are general (per kind and language), not
per site.

56 pages are labelled (fr 24, en 17, ru 10, zh 5; 43 dumps, 13 HTML pages): the first 24,
and 32 more (issue 14) in every language of the folder, chosen for the kinds of boilerplate
that leaked: runs of other articles' headlines, newsletter and app promotions, advertising
markers, podcast promos, paywalls, comments. The rules were then tuned on all 56 pages, so these
figures are not a held-out measure; the corpus holds back 24 pages of the same kinds that were
never looked at.

* **recall**: share of the labelled article phrases found in title + lead + body (whitespace
  ignored); target ≥ 97 %.
* **leaked**: share of the labelled boilerplate lines found in title + lead + body; target
  ≤ 3 %.
* **boilerplate share**: characters of body paragraphs containing a labelled boilerplate string,
  over all body characters. Only labelled strings count: this is a lower bound.
* **title**: the title found equals the labelled headline (whitespace ignored).

Before and after this round (issue 14.2; same bench, same labels):

| labels | recall before | recall after | leaked before | leaked after |
|--------|--------------:|-------------:|--------------:|-------------:|
| the first 24 pages | 100.0 % | 100.0 % | 4.7 % (8/172) | 1.2 % (2/172) |
| the 32 new pages | 95.1 % | 99.5 % | 14.4 % (52/360) | 0.3 % (1/360) |
| all 56 pages | 97.1 % | 99.7 % | 11.3 % (60/532) | 0.6 % (3/532) |

Dumps with a date: 140 of 171 before, 150 after (a stamp beside the byline, glued or segmented
numeric dates); no date is ever given without its year.

Choices made on the way (see the module docstrings):

* **Headline runs**: three or more title-like lines in a row (3-20 words, capitalised, no full
  stop; section labels and numbers between them allowed; not a list announced with a colon)
  end the article once it has two paragraphs or 300 characters of prose, and are left out
  before that. Known cost: a box of headlines with no heading in the middle of an article ends
  it there (one BBC Russian page of the folder loses its last three paragraphs).
* **Indented dumps**: a "more stories" heading indented like the article is a box of links
  inside it, unless the author's signature or a prompt came first: then it ends the article.
* **Encoding**: `decode_bytes` keeps text that is mostly UTF-8 as UTF-8 and restores the
  characters `lynx` cut at line ends (`à` = C3 A0 and `х` = D1 85 lost their second byte, read
  as a Latin-1 space or line break) from the rest of the text; Latin-script text without UTF-8
  is cp1252; only other text goes to charset-normalizer. Measured on the 89 invalid UTF-8 dumps
  of `raw/text/`: charset-normalizer alone answers a legacy 8-bit encoding for 30 of them
  (iso8859_10, hp_roman8, iso8859_4: every accent garbled) and nothing for 59; ours leaves 5
  U+FFFD in all 171 dumps instead of 340 with `errors="replace"`.
* **Dates**: `YYYY-MM-DD` from trafilatura's markup dates (never its guesses from the text or
  URL), a publication stamp or a dateline next to the article (with the outlet after it:
  "October 14, 2023 / 8:33 AM EDT / CBS News"), else the URL's path (`/2023/10/19/`); a time
  is kept only when a record or sidecar states an ISO timestamp (the time written in a page has
  no time zone). A WARC record's `WARC-Date` is the crawl date and is never used. No year, no
  date.
* **Language**: a record's or sidecar's language is trusted; a page's `<html lang>` only when
  the text is too short to tell (under 100 letters), otherwise py3langid decides.
* **URL and source**: a page's canonical link, else its og:url, else the address a dump states
  on its first lines (wrapped lines joined), never a tracker's, analytics' or CDN's
  (`index.sources.meta.is_tracker_url`). The source is the record's, else the page's site
  name, else the sidecar's, else the URL's host without `www.`.
* **Near-duplicates**: the 15 pages of the folder saved both as a dump and as HTML differ in 0
  to 15 SimHash bits; two articles with the same title or the same first 15 words cluster
  within 16 bits (`index/dedup.py`): 14 of the 15 pairs become one result.

"""


def census(raw: Path) -> str:
    """What the readers make of every raw page, labelled or not (a check for the held-back
    kinds: nothing rejected, a title and a body everywhere, a date where one is written)."""
    lines = [
        "| folder | pages | articles | rejected | with title | with date | mean body chars |",
        "|--------|------:|---------:|---------:|-----------:|----------:|----------------:|",
    ]
    for folder in ("text", "html"):
        files = sorted(p for p in (raw / folder).glob("*") if p.is_file())
        items = [item for path in files for item in read_path(path)]
        found = [a for a in items if isinstance(a, Article)]
        body = sum(len(a.body) for a in found) // max(1, len(found))
        lines.append(
            f"| {folder} | {len(files)} | {len(found)} | {len(items) - len(found)} "
            f"| {sum(bool(a.title) for a in found)} | {sum(bool(a.date) for a in found)} "
            f"| {body} |"
        )
    return "\n".join(lines) + "\n"


def _default_raw() -> Path:
    """``../shared/corpus/raw`` beside the checkout, or beside its parent (a git worktree)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus" / "raw").is_dir():
            return base / "shared" / "corpus" / "raw"
    return ROOT.parent / "shared" / "corpus" / "raw"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=_default_raw())
    parser.add_argument("--labels", type=Path, default=ROOT / "tests" / "data" / "labels")
    parser.add_argument("--out", type=Path, default=ROOT / "doc" / "extraction.md")
    args = parser.parse_args(argv)
    if not args.raw.is_dir():
        print(f"skipped: no corpus folder at {args.raw}", file=sys.stderr)
        return 0
    labels = sorted(args.labels.glob("*.json"))
    if not labels:
        print(f"skipped: no labels in {args.labels}", file=sys.stderr)
        return 0
    results = [evaluate(path, args.raw) for path in labels]
    table = report(results)
    every = census(args.raw)
    print(table)
    print(every)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = f"{HEADER}## Labelled pages\n\n{table}\n## Every raw page\n\n{every}"
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
