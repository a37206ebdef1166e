"""Split a page into title, lead, body, "read also" titles, photo credit and date.

How a page dump is read, in order:

1. lines hard-wrapped by ``lynx`` (or a newswire) are joined back into blocks (paragraphs, list
   items, headings); blank lines, indentation changes and bullets separate blocks;
2. the title is the heading that best announces the article (see ``_title_index``);
3. each later block meets the rules of ``index.boilerplate``: the title repeated (alone, or
   glued to a photo credit, which becomes ``credit``) is dropped; "read also" lines feed
   ``related``; publication stamps give the date and leave; other boilerplate (consent banners,
   "follow us", share lines, counters, bylines, UI labels, footers) is dropped; a "more stories"
   heading ends the article;
4. the article is the span of blocks richest in *prose* (sentences, long paragraphs): short
   unpunctuated lines around it (menus, slogans, tags, buttons) are left out;
5. ``date`` comes from a stamp or dateline just before the article or at its start (never from
   the body), and only when a full date with its year is written (``index.dates``).

Paragraphs that an HTML extractor already isolated go through steps 3 and 5 only
(``clean_paragraphs``). Every function here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.boilerplate import (
    boilerplate_rule,
    credit_of,
    headline_runs,
    is_artefact,
    is_end_heading,
    is_headline,
    is_name_list,
    is_stamp,
    key,
    opens_comments,
    read_also_title,
)
from index.dates import find_date
from index.language import detect_language
from index.text import WIDE_RE, count_words, normalize_text, text_width, unglue_sentences

_BULLET_RE = re.compile(r"^[*+•▪●◦■►]\s+")
_CLOSERS = " \"'»”’)]"
_SENTENCE_END = ".!?…。！？"
_CJK_ENDS = "。！？」』）】"
# Wrapped dumps are hard-wrapped at 60-80 columns; a heading more than 100 columns wide is not.
# A line counts as full when the next word would have overflowed it by more than -_SLACK.
# Headings may overflow the paragraphs' wrap width by a few columns (lynx: 77 against 74).
_MAX_WRAP, _MIN_WRAP, _NEAR, _SLACK, _OVERFLOW = 100, 50, 10, 2, 4
# What a non-prose block (caption, subheading, menu item) costs the span that includes it, in
# characters of prose.
_GAP_COST = 40
# An end heading ends the article once this many paragraphs or characters of prose were kept
# (before, it is a box beside the byline: "More stories by X").
_MIN_PARAGRAPHS, _MIN_ARTICLE = 2, 300
_STAMP_COST = 120
# How far before the article a stamp or dateline may stand, in kept blocks, and how far into a
# block a dateline's date may start (further in, a date belongs to a sentence or a caption).
_DATELINE_REACH, _DATELINE_CHARS, _DATELINE_WORDS = 6, 40, 20
# A byline without its marker ("Mathilde Cousin" next to "Publié le …") has at most this many
# words.
_LONE_NAME_WORDS = 4
# The title is looked for among this many blocks before the article, and compared with this
# many characters of it; each block of distance costs a heading this share of shared words.
_TITLE_REACH, _LEAD_CHARS, _TITLE_DISTANCE_COST = 40, 1500, 0.01
_MIN_REPEATED_WORDS = 4  # a text said twice in a row is said once (see ``_once``)
# A promotion box: its title (a few words, no full stop) and a short description stand just
# before the sign-up field or offer ("Get Innovation Beat" / "Boston Globe tech reporters …" /
# "Enter Email").
_BOX_TITLE_WORDS, _BOX_TEXT_WORDS = 6, 30
_PROMPTS = ("signup", "newsletter", "follow", "app")
# What signs or closes an article: after enough of its text, a "more stories" heading met after
# one of these ends the article even when indented like the article's paragraphs (before, such a
# heading opens a box of links inside the article, which goes on after it).
_CLOSING_RULES = ("byline", "bio", "follow", "newsletter", "app", "signup", "share")
# A pull quote: a sentence of the article said again, with its author's name after it.
_MIN_QUOTE_WORDS, _MAX_QUOTE_WORDS = 6, 60
_PULL_QUOTE_RE = re.compile(r"^(.*[.!?…»”\"])\s+([^.!?…]+)$")
# After a run of headlines, the article resumes when the next blocks hold no headline and are
# long paragraphs (all but one): teasers of other articles alternate with their headlines.
_RESUME_REACH, _RESUME_CHARS = 3, 150
# A headline followed by a lone "Read more" is a link to another article.
_TEASER_WORDS = 40
_FIELDS = ("title", "lead", "body", "related", "credit", "date", "lang")

# ---------------------------------------------------------------------------------------------
# Lines to blocks.
# ---------------------------------------------------------------------------------------------


@dataclass
class _Block:
    lines: list[str]  # as written, indentation included
    indent: int
    bullet: bool = False
    wrapped_indent: int | None = None  # indentation of continuation lines, once one is seen
    text: str = field(default="", init=False)
    rule: str | None = field(default=None, init=False)  # the boilerplate rule it matches

    def finish(self, rules: bool = True) -> _Block:
        """Join the lines into ``text``; ``rules``: find the boilerplate rule it matches too
        (paragraphs that only need joining skip that, the costliest step of reading)."""
        joined = ""
        for line in (line.strip() for line in self.lines):
            wide = joined and WIDE_RE.match(joined[-1]) and WIDE_RE.match(line)
            glue = "" if not joined or wide else " "  # CJK text has no spaces between words
            joined += glue + line
        self.text = _once(" ".join(_BULLET_RE.sub("", joined).split()))
        self.rule = boilerplate_rule(self.text) if self.text and rules else None
        return self


def _once(text: str) -> str:
    """``text`` said once when it is said twice in a row (lynx: an image's alt text, then its
    caption): "Caption. Caption." → "Caption."."""
    half = len(text) // 2
    first = text[:half].strip()
    if len(set(first.split())) >= _MIN_REPEATED_WORDS and first == text[half:].strip():
        return first
    return text


def _wrap_width(lines: list[str]) -> int | None:
    """The column at which the text was hard-wrapped, or None if it was not.

    That is the 97th percentile of the widths of lines 50-100 columns wide (a few lines overflow
    the wrap width: unbreakable words, miscounted characters), if a quarter of the lines 50
    columns wide or more come close to it (menus and headings, short, do not count).
    """
    lines = [line for line in lines if not is_artefact(line)]  # JSON, form fields: unwrapped
    widths = sorted(w for w in map(text_width, lines) if _MIN_WRAP <= w <= _MAX_WRAP)
    if len(widths) < 3:
        return None
    width = widths[int(0.97 * (len(widths) - 1))]
    near = sum(1 for w in widths if width - _NEAR <= w <= width)
    long_lines = sum(1 for line in lines if text_width(line) >= _MIN_WRAP)
    return width if near >= 0.25 * long_lines else None


def _continues(block: _Block, line: str, indent: int, width: int | None) -> bool:
    """Whether ``line`` goes on with ``block``: the previous line was wrapped, either because
    it is full (the next word would not have fitted in ``width``) or because its sentence goes
    on in lowercase on this line (newswire first lines are short where a dateline was cut)."""
    stripped = line.strip()
    if _BULLET_RE.match(stripped):
        return False
    previous = block.lines[-1]
    used = text_width(previous)
    full = (
        width is not None
        and used <= width + _OVERFLOW
        and used + 1 + text_width(stripped.split()[0]) > width - _SLACK
    )
    unfinished = stripped[0].islower() and previous.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END
    # CJK paragraphs have no line breaks of their own: a line ending inside a sentence and
    # followed by more CJK text was wrapped, whatever its width.
    unfinished = unfinished or bool(
        WIDE_RE.match(previous[-1]) and previous[-1] not in _CJK_ENDS and WIDE_RE.match(stripped)
    )
    if not (full or unfinished):
        return False
    if block.bullet:
        return indent > block.indent
    if block.wrapped_indent is not None:
        return indent == block.wrapped_indent
    return indent <= block.indent  # same indentation, or a first-line indent (newswires)


def split_blocks(text: str) -> list[str]:
    """The paragraphs of ``text``: blank-line separated, hard-wrapped lines joined back, and
    sentences that lost the space after their full stop split again."""
    blocks = _blocks(text.split("\n"), rules=False)
    return [unglue_sentences(b.text) for b in blocks if b.text]


def _blocks(lines: list[str], rules: bool = True) -> list[_Block]:
    width = _wrap_width(lines)
    blocks: list[_Block] = []
    current: _Block | None = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        indent = len(line) - len(line.lstrip())
        if current is not None and _continues(current, line, indent, width):
            current.lines.append(line)
            if not current.bullet and current.wrapped_indent is None:
                current.wrapped_indent = indent
            continue
        current = _Block([line], indent, bool(_BULLET_RE.match(stripped)))
        blocks.append(current)
    return [block.finish(rules) for block in _split_glued_titles(blocks)]


def _split_glued_titles(blocks: list[_Block]) -> list[_Block]:
    """A short line without a full stop after a line that ends a sentence is a block of its own
    that lynx printed without a blank line ("…elections too soon." / "Get The Primary Source"):
    a paragraph's last line ends as its sentence does."""
    out: list[_Block] = []
    for block in blocks:
        out.append(block)
        if block.bullet or len(block.lines) < 2:
            continue
        last, before = block.lines[-1].strip(), block.lines[-2].rstrip()
        ends = before.rstrip(_CLOSERS)[-1:] in _SENTENCE_END
        if ends and not last[:1].islower() and _headline_like(last) and len(last.split()) <= 6:
            block.lines.pop()
            out.append(_Block([last], block.indent))
    return out


# ---------------------------------------------------------------------------------------------
# Sorting blocks: title repeats, credits, "read also", stamps, boilerplate.
# ---------------------------------------------------------------------------------------------


def _is_prose(block: _Block, headings: bool) -> bool:
    """A block that reads as article text: a sentence of 6+ words, or 25+ words; in Chinese
    or Japanese (often segmented into words by spaces), a block holding a full stop."""
    if block.bullet or (headings and block.indent == 0):
        return False
    text = block.text
    words = count_words(text)
    if len(WIDE_RE.findall(text)) > len(text) / 3:
        return words >= 6 and any(ch in _CJK_ENDS[:3] for ch in text)
    ends = text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END
    return words >= 25 or (ends and words >= 6)


def _headline_like(text: str) -> bool:
    return 2 <= count_words(text) <= 25 and text.rstrip(_CLOSERS)[-1:] not in ".!?"


def _date_only(text: str) -> bool:
    return count_words(text) <= 6 and find_date(text) is not None


@dataclass
class _Parts:
    credit: str = ""
    related: list[str] = field(default_factory=list)
    kept: list[_Block] = field(default_factory=list)
    stamps: list[tuple[int, str]] = field(default_factory=list)  # (index in kept, stamp text)
    early_stamps: list[str] = field(default_factory=list)  # stamps above the title, nearest first

    def add_related(self, title: str) -> None:
        if title and title.casefold() not in {r.casefold() for r in self.related}:
            self.related.append(title)


def _mark_lone_bylines(blocks: list[_Block]) -> None:
    """A short list of names right next to a stamp or byline is a byline too."""
    for i, block in enumerate(blocks):
        if block.rule is not None or count_words(block.text) > _LONE_NAME_WORDS:
            continue
        neighbours = blocks[max(0, i - 1) : i] + blocks[i + 1 : i + 2]
        if is_name_list(block.text) and any(n.rule in ("stamp", "byline") for n in neighbours):
            block.rule = "byline"


def _sort_blocks(blocks: list[_Block], title: str, headings: bool) -> _Parts:
    """Credit, related titles, stamps and the blocks kept, in order; stops at an end heading."""
    _mark_lone_bylines(blocks)
    parts = _Parts()
    announced = 0  # headlines still expected after a "read also" marker standing alone
    seen: set[str] = set()
    previous: _Block | None = None  # the block met just before, kept or not
    last: _Block | None = None
    box_open, pending = False, None  # after a prompt: the one short block kept since then
    closed = False  # an author's signature or a prompt came after enough of the article
    for block in blocks:
        last, previous = previous, block
        text = block.text
        if key(text) == key(title) or key(text) in seen:
            continue  # the title repeated; a caption or teaser repeated (lynx: alt and text)
        seen.add(key(text))
        credit = credit_of(text, title)
        if credit is not None:
            parts.credit = parts.credit or credit
            continue
        if is_end_heading(text) or block.rule == "paywall":
            inline = block.indent > 0 and headings and not (closed or opens_comments(text))
            if inline:  # a box of links inside the article, which goes on after it
                announced = 3
                continue
            if _enough_prose(parts.kept, headings):
                break
            continue  # a box beside the byline: "More stories by X"
        if block.rule in _CLOSING_RULES and not closed:
            closed = _enough_prose(parts.kept, headings)
        related = read_also_title(text)
        if related is not None:
            parts.add_related(related)
            announced = 0 if related else 3
            if not related and _is_teaser(last, parts):  # "Headline" then "Read more"
                parts.add_related(parts.kept.pop().text)
                announced = 0
            continue
        if announced and _date_only(text):
            continue  # the date under an announced headline
        if announced and _headline_like(text) and block.rule is None:
            parts.add_related(text)
            announced -= 1
            continue
        announced = 0
        if block.rule in _PROMPTS:
            if box_open and pending is not None and parts.kept and parts.kept[-1] is pending:
                parts.kept.pop()  # a description between two prompts
            else:
                _drop_box(parts, last)
            box_open, pending = True, None
        if block.rule in ("stamp", "byline"):
            parts.stamps.append((len(parts.kept), text))
        elif block.rule == "caption" and is_stamp(tail := " ".join(text.split()[-6:])):
            parts.stamps.append((len(parts.kept), tail))  # "… / AFP 13h02, le 27 octobre 2023"
        elif block.rule is None:
            parts.kept.append(block)
            if box_open and pending is None and count_words(text) <= _BOX_TEXT_WORDS:
                pending = block
            else:
                box_open, pending = False, None
    return parts


def _enough_prose(kept: list[_Block], headings: bool) -> bool:
    """Whether ``kept`` holds enough prose to be an article that may end here."""
    prose = [len(b.text) for b in kept if _is_prose(b, headings)]
    return len(prose) >= _MIN_PARAGRAPHS or sum(prose) >= _MIN_ARTICLE


def _is_teaser(last: _Block | None, parts: _Parts) -> bool:
    """Whether the block met last, kept, is a teaser a lone "read more" marker closes."""
    if last is None or not parts.kept or parts.kept[-1] is not last:
        return False
    text = last.text
    return count_words(text) <= _TEASER_WORDS and text.rstrip(_CLOSERS)[-1:] not in ".!"


def _drop_box(parts: _Parts, last: _Block | None) -> None:
    """Drop the title and description of a promotion box, kept just before its prompt: at most
    two blocks, the first a short title without a full stop."""
    if last is None or not parts.kept or parts.kept[-1] is not last:
        return
    box: list[_Block] = []
    for block in reversed(parts.kept[-2:]):
        if block is not (box[-1] if box else last) and not box:
            return
        box.append(block)
    while box:
        title, text = box[-1], box[:-1]
        short = all(count_words(b.text) <= _BOX_TEXT_WORDS for b in text)
        if count_words(title.text) <= _BOX_TITLE_WORDS and _headline_like(title.text) and short:
            del parts.kept[-len(box) :]
            return
        box.pop()


def _drop_pull_quotes(kept: list[_Block]) -> None:
    """A pull quote repeats a sentence of the article followed by its author's name, in the
    same block or the next ("Le fléau … est antérieur à l'ère numérique." / "Admire Mare"): it
    is said once, and the name goes with it."""
    folded = [" ".join(b.text.casefold().split()) for b in kept]
    joined = "\n".join(folded)
    for i, (block, text) in enumerate(zip(kept, folded, strict=True)):
        if count_words(text) > _MAX_QUOTE_WORDS:
            continue
        after = kept[i + 1] if i + 1 < len(kept) else None
        quote = _PULL_QUOTE_RE.match(block.text)
        if quote is not None and _is_signature(quote.group(2)):
            core, signature = " ".join(quote.group(1).casefold().split()), None
        elif after is not None and _is_signature(after.text):
            core, signature = text, after
        else:
            continue
        if count_words(core) >= _MIN_QUOTE_WORDS and joined.count(core) >= 2:
            for part in (block, signature):
                if part is not None:
                    part.rule = "quote"


def _is_signature(text: str) -> bool:
    return count_words(text) <= _LONE_NAME_WORDS * 2 and is_name_list(text.replace(",", " "))


def _resumes(following: list[_Block], headings: bool) -> bool:
    """Whether the article resumes after a run of headlines: the next blocks are paragraphs,
    long ones, and no other headline, where a list of other articles goes on with a headline
    every block or two (a teaser between them)."""
    if len(following) < _RESUME_REACH or any(is_headline(b.text) for b in following):
        return False
    long = [b for b in following if _is_prose(b, headings) and len(b.text) >= _RESUME_CHARS]
    return len(long) >= _RESUME_REACH - 1


def _cut_headline_runs(
    kept: list[_Block], span: tuple[int, int] | None, headings: bool
) -> tuple[int, int] | None:
    """The article span without the runs of other articles' headlines that start inside it:
    the first run after enough article text ends the article (a "more stories" block with no
    heading), unless the article resumes right after it (a box of links inside the article);
    any other run is only left out."""
    if span is None:
        return None
    first, last = span
    for start, end in headline_runs([b.text for b in kept[first:]]):
        start, end = first + start, first + end
        if start > last:
            break
        prose = [len(b.text) for b in kept[first:start] if _is_prose(b, headings)]
        enough = len(prose) >= _MIN_PARAGRAPHS or sum(prose) >= _MIN_ARTICLE
        if enough and not _resumes(kept[end + 1 : end + 1 + _RESUME_REACH], headings):
            return first, start - 1
        for block in kept[start : end + 1]:
            block.rule = "headlines"
    return span


def _find_date(parts: _Parts, first: int, last: int, lang: str) -> str | None:
    """The article's date: the nearest stamp before the article (within reach), else the first
    stamp inside it, else a date opening one of the blocks just before it or its first
    paragraph ("22 mai 2012. - ..."), else a stamp above the title."""
    before = [s for i, s in reversed(parts.stamps) if first - _DATELINE_REACH <= i <= first]
    inside = [s for i, s in parts.stamps if first < i <= last + 1]
    above = [b.text for b in parts.kept[max(0, first - _DATELINE_REACH) : first][::-1]]
    # A short block is a dateline wherever its date stands; a long one only if it opens with it.
    openings = [t if count_words(t) <= _DATELINE_WORDS else t[:_DATELINE_CHARS] for t in above]
    if first < len(parts.kept):
        openings.append(parts.kept[first].text[: 3 * _DATELINE_CHARS // 2])
    candidates = [*before, *inside, *openings, *parts.early_stamps]
    return next((d for d in (find_date(c, lang) for c in candidates) if d), None)


# ---------------------------------------------------------------------------------------------
# The article span and the title.
# ---------------------------------------------------------------------------------------------


def _is_indented(blocks: list[_Block]) -> bool:
    """Whether paragraphs are indented (lynx), which makes flush-left blocks headings."""
    indented = sum(len(b.text) for b in blocks if b.indent >= 2)
    return indented > 0.5 * sum(len(b.text) for b in blocks)


def _main_span(
    blocks: list[_Block],
    headings: bool,
    stamps: Sequence[tuple[int, str]] = (),
    escalate: bool = True,
) -> tuple[int, int] | None:
    """First and last index of the article: the span of blocks with the best score, where a
    prose block scores its length, the k-th non-prose block in a row costs k times
    ``_GAP_COST``, and a stamp that stood before a block costs ``_STAMP_COST`` (a maximum-sum
    subarray: menus and footers hold many blocks in a row and little prose; an article's
    subheadings and captions stand alone; lists of other articles and comments hold a date
    every few blocks). The items of a list the text announces with a colon cost one gap each.
    Without ``escalate``, every non-prose block costs one gap (the rough
    span the title is looked for before, where "read also" lists are not sorted out yet)."""
    stamped = {i for i, _text in stamps}  # a byline and a date together sign once
    best, best_score, start, score, run = None, 0, 0, 0, 0
    listed = False  # the items of a list the text announced with a colon
    for i, block in enumerate(blocks):
        prose = _is_prose(block, headings) and not block.rule
        listed = (listed and not prose) or block.text.endswith(":")
        escalates = escalate and not (listed and not block.text.endswith(":"))
        run = 0 if prose else run + 1 if escalates else 1  # k-th non-prose in a row: k gaps
        gain = (len(block.text) if prose else -_GAP_COST * run) - _STAMP_COST * (i in stamped)
        if score <= 0:
            if gain <= 0:
                continue
            start, score = i, 0
        score += gain
        if score > best_score:
            best, best_score = (start, i), score
    return best


def _title_index(blocks: list[_Block], headings: bool) -> int:
    """The title: among the headings before the article (in an indented dump, flush-left
    blocks), the one sharing most words with the article's start, the nearest on a tie. If none
    shares any, the nearest heading in an indented dump, else the first block that is no
    artefact or UI label."""
    skipped = ("artefact", "ui")
    first = next((i for i, b in enumerate(blocks) if b.rule not in skipped), 0)
    span = _main_span(blocks, headings, escalate=False)
    if span is None:
        return first
    article = _title_tokens(" ".join(b.text for b in blocks[span[0] : span[1] + 1])[:_LEAD_CHARS])
    best, best_score, nearest = None, 0.0, None
    for i in range(span[0] - 1, max(first, span[0] - _TITLE_REACH) - 1, -1):
        if not _heading_like(blocks[i], headings):
            continue
        nearest = i if nearest is None else nearest
        tokens = _title_tokens(blocks[i].text)
        shared = len(tokens & article) / len(tokens) if tokens else 0.0
        score = shared - _TITLE_DISTANCE_COST * (span[0] - 1 - i)
        if shared > 0 and (best is None or score > best_score):
            best, best_score = i, score
    if best is not None:
        return best
    return nearest if headings and nearest is not None else first


def _heading_like(block: _Block, headings: bool) -> bool:
    # In an indented dump lynx indents its "#link" lines; a flush-left "#Hashtag : ..." is an
    # <h1>.
    hashtag = block.rule == "artefact" and block.text.startswith("#") and block.indent == 0
    if (block.rule and not (headings and hashtag)) or block.bullet:
        return False
    if headings and block.indent > 0:
        return False
    words = count_words(block.text)
    return 3 <= words <= 40 and read_also_title(block.text) is None


def _title_tokens(text: str) -> set[str]:
    """Words of 4+ letters, and pairs of CJK characters, for comparing a heading with text."""
    folded = text.casefold()
    words = {w for w in re.findall(r"[^\W\d_]{4,}", folded) if not WIDE_RE.match(w)}
    wide = "".join(WIDE_RE.findall(folded))
    return words | {wide[i : i + 2] for i in range(len(wide) - 1)}


# ---------------------------------------------------------------------------------------------
# Entry points.
# ---------------------------------------------------------------------------------------------


def _fields(title: str, parts: _Parts, span: tuple[int, int] | None, lang: str) -> dict:
    first, last = span or (0, len(parts.kept) - 1)
    paragraphs = [b.text for b in parts.kept[first : last + 1] if b.rule is None]
    body = "\n\n".join(paragraphs)
    lang = lang or detect_language(f"{title}\n{body}")
    return {
        "title": title,
        "lead": paragraphs[0] if paragraphs else "",
        "body": body,
        "related": parts.related,
        "credit": parts.credit,
        "date": _find_date(parts, first, last, lang),
        "lang": lang,
    }


def split_fields(text: str, lang: str = "") -> dict:
    """Split a page dump into ``title, lead, body, related, credit, date, lang`` (module doc).

    ``lang`` is the page's language if known; otherwise it is detected on the article found.
    """
    blocks = _blocks(normalize_text(text).split("\n"))
    if not blocks:
        return dict(zip(_FIELDS, ("", "", "", [], "", None, lang), strict=True))
    headings = _is_indented(blocks)
    start = _title_index(blocks, headings)
    title = blocks[start].text
    parts = _sort_blocks(blocks[start + 1 :], title, headings)
    _drop_pull_quotes(parts.kept)
    above = blocks[max(0, start - _DATELINE_REACH) : start][::-1]
    parts.early_stamps = [b.text for b in above if b.rule in ("stamp", "byline")]
    span = _main_span(parts.kept, headings, parts.stamps)
    return _fields(title, parts, _cut_headline_runs(parts.kept, span, headings), lang)


def clean_paragraphs(paragraphs: list[str], title: str = "", lang: str = "") -> dict:
    """The fields of an article whose paragraphs an extractor already isolated (one per item):
    boilerplate, "read also" lines and stamps are sorted out as in a dump (steps 3 and 5), but
    every paragraph left is kept, prose or not (headings, short list items)."""
    blocks = [_Block([p], 0).finish() for p in paragraphs]
    parts = _sort_blocks([b for b in blocks if b.text], title, headings=False)
    _drop_pull_quotes(parts.kept)
    span = (0, len(parts.kept) - 1) if parts.kept else None
    return _fields(title, parts, _cut_headline_runs(parts.kept, span, False), lang)


__all__ = ["clean_paragraphs", "split_blocks", "split_fields"]
