"""Known-item query sets: a few words of one article's title, that article the right answer.

Each set is built per language from that language's own statistics (document frequency over
titles and the start of bodies), with one seeded sample of articles, so every engine gets the
same queries:

- ``distinctive``: 3-5 of the title's rarest words (the original set of ``bench/relevance.py``);
- ``common2``: two title words picked at random among its common content words (in at least
  5 articles, not among the language's 50 most frequent words);
- ``frequent2``: two consecutive title words, both common, one of them a function word (one of
  the language's 50 most frequent: ``nach Berlin``, ``de Gaulle``): what an unstemmed,
  stop-word-keeping index answers best;
- ``rare4``: the title's four rarest words;
- ``variants`` (French only): three distinctive title words, each replaced by another form of
  the corpus with the same Snowball stem (``manifestation`` → ``manifestations``), at least two
  of them changed: what stemming is for; ``variants_plain``: the same queries typed without
  accents (``egorgees`` for ``égorgées``).

Words are taken as a person types them: split on spaces, punctuation trimmed off the ends.

A few articles are in the corpus twice (a wire story sent again with a typo fixed, a feed that
published one story under two addresses): ``duplicates`` finds them, so that a set can also be
scored counting such a copy of the right article as right, for every engine alike.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import unicodedata
from collections import Counter, defaultdict

import snowballstemmer

PUNCTUATION = "\"'“”«»‘’„:;,.!?()[]<>{}|/\\-–—…*&^%$#@~`+="
SETS = ("distinctive", "common2", "frequent2", "rare4", "variants", "variants_plain")
FUNCTION_WORDS_TOP = 50  # a language's most frequent words count as function words
PER_SET_DEFAULT = 200
MIN_DF = 5  # "common" and "frequent" words occur in at least this many articles
SAME_TEXT = 0.6  # word-set overlap (Jaccard) of two texts, from which they are copies


def strip_accents(text: str) -> str:
    """``text`` as typed without accents (``égorgées`` → ``egorgees``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def headline(record: dict) -> str:
    if record.get("title"):
        return record["title"]
    first = re.split(r"(?<=[.!?])\s", record["text"].strip(), maxsplit=1)[0]
    return first[:200]


def typed_words(text: str) -> list[str]:
    """Words as a person would type them: split on spaces, punctuation trimmed off the ends
    (``l'Opéra`` and ``INT'L`` stay whole; ``\\w+`` would cut words at apostrophes and at
    Arabic diacritics)."""
    words = (w.strip(PUNCTUATION) for w in text.split())
    return [w for w in words if w]


def _content(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit()


class LanguageStats:
    def __init__(self, records: list[dict]) -> None:
        self.df: Counter = Counter()
        for r in records:
            self.df.update(
                {w.casefold() for w in typed_words(headline(r) + " " + r["text"][:2000])}
            )
        self.n = len(records)
        self.top = {w for w, _ in self.df.most_common(FUNCTION_WORDS_TOP)}

    def idf(self, word: str) -> float:
        return math.log(self.n / (1 + self.df[word.casefold()]))


def _words(record: dict) -> list[str]:
    return list(dict.fromkeys(typed_words(headline(record))))


def _pick(words: list[str], n: int, key) -> list[str] | None:
    """``n`` words chosen by ``key`` (ascending), in title order; None when too few."""
    chosen = sorted(words, key=key)[:n]
    if len(chosen) < n:
        return None
    return [w for w in words if w in chosen]


def _random_pair(words: list[str], rng: random.Random) -> list[str] | None:
    if len(words) < 2:
        return None
    chosen = rng.sample(words, 2)
    return [w for w in words if w in chosen]


def _adjacent_pair(words: list[str], stats: LanguageStats, rng: random.Random) -> list[str] | None:
    """Two consecutive title words, both frequent, at least one a function word."""
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(words)
        if not (a.isdigit() or b.isdigit())
        and min(stats.df[a.casefold()], stats.df[b.casefold()]) >= MIN_DF
        and (a.casefold() in stats.top or b.casefold() in stats.top)
        and not (a.casefold() in stats.top and b.casefold() in stats.top)
    ]
    return list(rng.choice(pairs)) if pairs else None


def _variants_table(records: list[dict]) -> dict[str, list[str]]:
    stemmer = snowballstemmer.stemmer("french")
    by_stem: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        for w in typed_words(headline(r) + " " + r["text"][:2000]):
            if len(w) >= 4 and w.isalpha():
                by_stem[stemmer.stemWord(w.casefold())][w.casefold()] += 1
    return {stem: [w for w, _ in forms.most_common(8)] for stem, forms in by_stem.items()}


def make_sets(
    records: list[dict], per_set: int = PER_SET_DEFAULT, seed: int = 20261203
) -> list[dict]:
    """Queries ``{"set", "lang", "id", "q"}`` for every set and language."""
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_lang[r["lang"]].append(r)
    queries: list[dict] = []
    for lang, items in sorted(by_lang.items()):
        stats = LanguageStats(items)
        rng = random.Random(f"{seed}-{lang}")
        sample = rng.sample(items, min(len(items), 4 * per_set))
        table = _variants_table(items) if lang == "fr" else {}
        stemmer = snowballstemmer.stemmer("french") if lang == "fr" else None
        counts: Counter = Counter()
        for r in sample:
            words = _words(r)
            content = [w for w in words if _content(w)]
            made: dict[str, list[str] | None] = {
                "distinctive": _pick(
                    content, max(3, min(5, len(content))), lambda w, stats=stats: -stats.idf(w)
                )
                if len(content) >= 3
                else None,
                "common2": _random_pair(
                    [
                        w
                        for w in content
                        if w.casefold() not in stats.top and stats.df[w.casefold()] >= MIN_DF
                    ],
                    rng,
                ),
                "frequent2": _adjacent_pair(words, stats, rng),
                "rare4": _pick(content, 4, lambda w, stats=stats: -stats.idf(w)),
            }
            if stemmer is not None:
                made["variants"] = _variant_query(content, stats, table, stemmer, rng)
            for name, chosen in made.items():
                if chosen and counts[name] < per_set:
                    counts[name] += 1
                    text = " ".join(chosen)
                    queries.append({"set": name, "lang": lang, "id": str(r["id"]), "q": text})
                    if name == "variants":
                        plain = {"set": "variants_plain", "q": strip_accents(text)}
                        queries.append({**queries[-1], **plain})
    return queries


def _variant_query(content, stats, table, stemmer, rng) -> list[str] | None:
    distinctive = _pick(
        [w for w in content if len(w) >= 4], 3, lambda w, stats=stats: -stats.idf(w)
    )
    if not distinctive:
        return None
    out, changed = [], 0
    for word in distinctive:
        forms = [
            f for f in table.get(stemmer.stemWord(word.casefold()), []) if f != word.casefold()
        ]
        if forms:
            out.append(rng.choice(forms))
            changed += 1
        else:
            out.append(word)
    return out if changed >= 2 else None


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def duplicates(records: list[dict]) -> dict[str, set[str]]:
    """For each article that has copies, their ids. A copy: same language, the same headline
    but for at most one word, and mostly the same words in its text (Jaccard ≥
    ``SAME_TEXT``): one story sent twice, a word or a figure changed."""
    heads = {
        str(r["id"]): frozenset(w.casefold() for w in typed_words(headline(r))) for r in records
    }
    blocks: dict[tuple, set[str]] = defaultdict(set)
    for r in records:
        head = heads[str(r["id"])]
        blocks[(r["lang"], head)].add(str(r["id"]))
        for left_out in head:  # the headline with one word left out: one word may differ
            blocks[(r["lang"], head - {left_out})].add(str(r["id"]))
    texts: dict[str, set[str]] = {}
    by_id = {str(r["id"]): r for r in records}

    def words(i: str) -> set[str]:
        if i not in texts:
            texts[i] = {w.casefold() for w in typed_words(by_id[i]["text"])}
        return texts[i]

    copies: dict[str, set[str]] = defaultdict(set)
    for ids in blocks.values():
        for a, b in itertools.combinations(sorted(ids), 2):
            if b not in copies[a] and _jaccard(words(a), words(b)) >= SAME_TEXT:
                copies[a].add(b)
                copies[b].add(a)
    return {i: found for i, found in copies.items() if found}
