"""Split a page dump into title, lead, body, "read also" titles, photo credit and dateline.

How a dump is read, in order:

1. lines hard-wrapped by ``lynx`` (or a newswire) are joined back into blocks (paragraphs, list
   items, headings); blank lines, indentation changes and bullets separate blocks;
2. the title is the first block that is not a rendering artefact or a UI label; in an indented
   dump (lynx indents paragraphs, not headings) it is the heading closest before the article;
3. each later block meets the rules: the title repeated (alone, or glued to a photo credit,
   which becomes ``credit``) is dropped; "read also" lines feed ``related``; boilerplate
   (consent banners, "follow us", counters, UI labels, footers) is dropped; a "more stories"
   heading ends the article;
4. the article is the span of blocks richest in *prose* (sentences, long paragraphs): short
   unpunctuated lines around it (menus, slogans, tags, buttons) are left out;
5. ``date`` comes from a dateline just before the article or at its very start, never from the
   body, and only when a full date with a four-digit year is written.

The rules are data: the tables below, per language, one comment per rule. Every function here
is pure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from index.text import normalize_text

# ---------------------------------------------------------------------------------------------
# Rules as data. Keys are ISO 639-1 codes ("*" = any language); patterns are case-insensitive.
# ---------------------------------------------------------------------------------------------

# "Read also" markers: the title that follows goes to ``related`` and the line leaves the body.
# Alone on a line, a marker announces the headlines in the next blocks.
READ_ALSO: dict[str, str] = {
    "fr": "à lire aussi|a lire aussi|lire aussi|à lire également|lire également|voir aussi|à lire",
    "en": "read more|read also|also read|see also|related",
    "de": "lesen sie auch|lesen sie mehr|auch interessant|siehe auch",
    "es": "lee también|lea también|leer más|ver también",
    "pt": "leia também|leia mais|veja também",
    "it": "leggi anche|vedi anche",
    "ru": "читайте также|смотрите также|по теме",
}

# Headings that open the "more stories" part of a page: they and everything after them go.
END_HEADINGS: dict[str, str] = {
    "fr": "articles similaires|sur le même sujet|dans la même rubrique|les plus lus"
    "|vous pourriez aussi aimer|vous aimerez aussi|à découvrir aussi",
    "en": "related stories|related articles|related content|related posts|related topics"
    "|more on this story|more stories|most popular|most read|you may also like",
    "de": "mehr zum thema|das könnte sie auch interessieren|meistgelesen",
    "es": "noticias relacionadas|lo más leído|te puede interesar",
    "pt": "notícias relacionadas|mais lidas",
    "ru": "самое популярное|главное|не пропустите|похожие материалы|темы",
}

# Photo credits ("© X", "Photo : X"), glued to the repeated title or alone on a short line:
# the text after the marker becomes ``credit`` and the line leaves the body (regexes).
CREDIT_MARKERS: dict[str, str] = {
    "*": r"©|\(c\)",
    "fr": r"photos?\s*:|cr[ée]dits?(?:\s+photos?)?\s*:|illustration\s*:",
    "en": r"photo(?:graph)?s?(?:\s+credit)?\s*:|credits?\s*:|image source,|image\s*:",
    "de": r"fotos?\s*:|bild\s*:|quelle\s*:",
    "es": r"foto(?:grafía)?\s*:|cr[ée]dito\s*:",
    "pt": r"foto\s*:|cr[ée]dito\s*:",
    "ru": r"фото\s*:|автор фото,",
}

# Consent banners, recognised by phrases only banners use: the whole block goes (regexes).
CONSENT: dict[str, str] = {
    "fr": r"tout accepter|tout refuser|cookies?/traceurs|choix de consentement|gestion des cookies"
    r"|(?:param[ée]trer|g[ée]rer|modifier) (?:vos|mes|les) (?:choix|cookies|pr[ée]f[ée]rences)"
    r"|(?:accepter|refuser) (?:les |des )?cookies"
    r"|(?:utilise|utilisons|d[ée]p[ôo]t|d[ée]pose) (?:des |de |les )?(?:cookies|traceurs)",
    "en": r"accept all\b|reject all\b|accept cookies|(?:we|site|website) uses? cookies"
    r"|use of cookies|cookie (?:settings|preferences|policy|notice|control)"
    r"|manage (?:cookies|consent|preferences)|do not sell my|(?:this|these) cookies?\b",
    "de": r"alle akzeptieren|alle ablehnen|cookie-einstellungen|datenschutzeinstellungen"
    r"|(?:verwendet|verwenden|nutzt|nutzen) cookies",
    "es": r"aceptar todas?\b|rechazar todas?\b|(?:utiliza|utilizamos|usa|usamos) cookies"
    r"|pol[íi]tica de cookies",
    "pt": r"aceitar todos\b|rejeitar todos\b|(?:utiliza|utilizamos|usa|usamos) cookies",
    "it": r"accetta tutti|rifiuta tutti|utilizz\w+ (?:i )?cookie",
    "ru": r"использу\w* (?:файлы )?cookie|cookie-файл|файл\w* cookie",
}

# Consent topics: a block naming one goes when it is short (a menu item) or speaks to the reader
# like a banner does ("vous", "your", "the website"...): topics, then context words (regexes).
CONSENT_TOPICS = (
    r"\bcookie|\btraceurs\b|\bconsentement\b|\bconsent\b|politique de confidentialit[ée]"
    r"|privacy policy|datenschutz|pol[íi]tica de privacidad|\bкуки\b|персональн\w+ данн\w+"
)
CONSENT_CONTEXT: dict[str, str] = {
    "fr": r"vous|vos|votre|nous|notre|nos",
    "en": r"you|your|we|our",
    "*": r"website|web site|browser|navigateur|site web|webseite|navegador|сайт\w*",
    "de": r"sie|ihre?[mnrs]?|wir|unsere?[mnrs]?",
    "es": r"usted|nuestr[oa]s?",
    "pt": r"você|nosso|nossa",
    "ru": r"вы|вас|ваш\w*|мы|наш\w*",
}

# "Follow us" and newsletter prompts opening a short block (regexes, matched at the start).
FOLLOW_US: dict[str, str] = {
    "fr": r"suivez\b|abonnez-vous|rejoignez-nous|inscrivez-vous|retrouvez-nous",
    "en": r"follow us\b|follow\b.{0,40}\bon (?:twitter|x|facebook|instagram|telegram)\b"
    r"|subscribe to\b|sign up (?:for|to)\b|join us on\b",
    "de": r"folgen sie\b|abonnieren sie\b|melden sie sich\b.{0,40}\bnewsletter",
    "es": r"s[íi]guenos\b|suscr[íi]bete\b",
    "pt": r"siga-nos\b|inscreva-se\b|assine (?:a|o|nossa|nosso)\b",
    "ru": r"подписывайтесь\b|подпишитесь\b|следите за нами\b",
}

# Share and comment counters ("59 commentaires 76 partages", "Share Tweet"): a block made only
# of numbers and these words goes.
COUNTER_WORDS: dict[str, str] = {
    "*": "facebook|twitter|whatsapp|telegram|linkedin|messenger|email|e-mail",
    "fr": "commentaire|commentaires|partage|partages|partager|réagir|réactions|vues|imprimer"
    "|envoyer|tweeter",
    "en": "comment|comments|share|shares|like|likes|view|views|tweet|print",
    "de": "kommentar|kommentare|teilen|geteilt|drucken",
    "es": "comentario|comentarios|compartir|compartido|imprimir",
    "pt": "comentário|comentários|compartilhar|compartilhamentos|imprimir",
    "ru": "комментарий|комментария|комментариев|комментарии|поделиться|просмотров",
}

# Lone UI labels (a whole block, case and end punctuation ignored): buttons, menus, ads.
UI_LINES: dict[str, str] = {
    "*": "ok|×|x|menu|rss|loading|newsletter|préc. suiv",
    "fr": "accueil|retour à l'accueil|rechercher|recherche|fermer|publicité|se connecter"
    "|s'abonner|mon compte|précédent|suivant|lire la suite|voir plus|retour en haut|chargement",
    "en": "home|search|close|advertisement|skip advertisement|sign in|log in|subscribe|previous"
    "|next|back to top|continue reading"
    "|image caption|media caption|link copied",
    "de": "startseite|suche|schließen|anzeige|werbung|anmelden|zurück|weiter|nach oben",
    "es": "inicio|buscar|cerrar|publicidad|anterior|siguiente",
    "pt": "início|pesquisar|fechar|publicidade|anterior|próximo",
    "ru": "главная|поиск|закрыть|реклама|войти|наверх|далее|подпись к фото",
}

# Copyright footers ("© 2023 BBC", "Copyright ... tous droits réservés"): dropped, not a credit.
FOOTER = r"^(?:©|\(c\)|copyright\b).*(?:\b(?:19|20)\d\d\b|droits|rights|réservés|vorbehalten)"

# Rendering artefacts of lynx dumps: <link rel> header lines (#alternate), buttons, iframes,
# meta refresh, image placeholders ([logo.png]), empty checkboxes, skip links, and lines that are
# only a URL, a URL tail or a run of %-escapes.
ARTEFACTS = (
    r"^#\S|^\(BUTTON\)|^IFRAME:|^REFRESH\(|^\[[^\]]*\]$|^\[\s*\]|(?:%[0-9A-F]{2}[^%]*){3}"
    r"|^(?:skip to|aller au contenu|passer au contenu|перейти к содерж)"
    r"|^(?:url|source)\s*:\s*https?://\S+$|^\S*(?:https?://|www\.|[=&])\S*$"
)

# Month names for datelines: twelve "|"-separated groups (January first) of spelling variants.
MONTHS: dict[str, str] = {
    "fr": "janvier janv|février fevrier févr|mars|avril avr|mai|juin|juillet juil|août aout"
    "|septembre|octobre|novembre|décembre decembre déc",
    "en": "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug"
    "|september sept sep|october oct|november nov|december dec",
    "de": "januar jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november"
    "|dezember",
    "es": "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre setiembre|octubre"
    "|noviembre|diciembre",
    "pt": "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro"
    "|dezembro",
    "it": "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
    "|novembre|dicembre",
    "ru": "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря",
}

# ---------------------------------------------------------------------------------------------
# Compiled forms of the tables.
# ---------------------------------------------------------------------------------------------


def _phrases(table: dict[str, str]) -> frozenset[str]:
    return frozenset(p.casefold() for value in table.values() for p in value.split("|"))


def _regex(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def _month_numbers() -> dict[str, int]:
    numbers: dict[str, int] = {}
    for groups in MONTHS.values():
        for number, names in enumerate(groups.split("|"), start=1):
            numbers.update(dict.fromkeys(names.split(), number))
    return numbers


_LONGEST_FIRST = sorted(_phrases(READ_ALSO), key=len, reverse=True)  # "à lire aussi" > "à lire"
_READ_ALSO_RE = _regex([re.escape(p) for p in _LONGEST_FIRST])
_END_SET = _phrases(END_HEADINGS)
_CREDIT_RE = re.compile(rf"(?:{'|'.join(CREDIT_MARKERS.values())})\s*", re.IGNORECASE)
_CONSENT_RE = _regex(list(CONSENT.values()))
_TOPIC_RE = _regex([CONSENT_TOPICS])
_CONTEXT_RE = re.compile(rf"\b(?:{'|'.join(CONSENT_CONTEXT.values())})\b", re.IGNORECASE)
_FOLLOW_RE = _regex(list(FOLLOW_US.values()))
_COUNTER_SET = _phrases(COUNTER_WORDS)
_UI_SET = _phrases(UI_LINES)
_FOOTER_RE = re.compile(FOOTER, re.IGNORECASE)
_ARTEFACT_RE = re.compile(ARTEFACTS, re.IGNORECASE)
_MONTH = _month_numbers()
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTH), key=len, reverse=True))
_DATE_RES = (  # (regex, order of its groups)
    (re.compile(r"\b(\d{4})-(\d\d)-(\d\d)(?!\d)"), "ymd"),  # also 2023-11-20T10:00
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), "ymd"),
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b"), "dmy?"),
    (
        re.compile(
            rf"\b(\d{{1,2}})(?:er|st|nd|rd|th|\.|º)?\s+(?:de\s+)?({_MONTH_RE})\b\.?,?\s+"
            r"(?:de\s+)?(\d{4})\b",
            re.IGNORECASE,
        ),
        "dmy",
    ),
    (
        re.compile(
            rf"\b({_MONTH_RE})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
        ),
        "mdy",
    ),
)
_BULLET_RE = re.compile(r"^[*+•▪●◦■►]\s+")
_SEPARATORS = ":>»›|–—-.…"
_CLOSERS = " \"'»”’)]"
_SENTENCE_END = ".!?…。！？"
_STRIP_UI = " .:!…|>-–—·•*"
# Wrapped dumps are hard-wrapped at 60-80 columns; a heading more than 100 columns wide is not.
# A line counts as full when the next word would have overflowed it by more than -_SLACK.
# Headings may overflow the paragraphs' wrap width by a few columns (lynx: 77 against 74).
_MAX_WRAP, _MIN_WRAP, _NEAR, _SLACK, _OVERFLOW = 100, 50, 10, 2, 4
# What a non-prose block (caption, subheading, menu item) costs the span that includes it, in
# characters of prose.
_GAP_COST = 40
# Menu items and buttons are at most this many words long.
_SHORT = 6


# East Asian wide characters (Hangul, CJK, kana, fullwidth forms): two columns, about half a word.
_WIDE_RE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def _width(line: str) -> int:
    return len(line) + len(_WIDE_RE.findall(line))


def _words(text: str) -> int:
    return len(text.split()) + len(_WIDE_RE.findall(text)) // 2


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

    def finish(self) -> _Block:
        joined = ""
        for line in (line.strip() for line in self.lines):
            wide = joined and _WIDE_RE.match(joined[-1]) and _WIDE_RE.match(line)
            glue = "" if not joined or wide else " "  # CJK text has no spaces between words
            joined += glue + line
        self.text = " ".join(_BULLET_RE.sub("", joined).split())
        self.rule = boilerplate_rule(self.text)
        return self


def _wrap_width(lines: list[str]) -> int | None:
    """The column at which the text was hard-wrapped, or None if it was not.

    That is the 97th percentile of the widths of lines 50-100 columns wide (a few lines overflow
    the wrap width: unbreakable words, miscounted characters), if enough lines come close to it.
    """
    widths = sorted(w for w in map(_width, lines) if _MIN_WRAP <= w <= _MAX_WRAP)
    if len(widths) < 3:
        return None
    width = widths[int(0.97 * (len(widths) - 1))]
    near = sum(1 for w in widths if width - _NEAR <= w <= width)
    return width if near >= 0.25 * sum(1 for line in lines if line.strip()) else None


def _continues(block: _Block, line: str, indent: int, width: int | None) -> bool:
    """Whether ``line`` goes on with ``block``: the previous line was wrapped, either because
    it is full (the next word would not have fitted in ``width``) or because its sentence goes
    on in lowercase on this line (newswire first lines are short where a dateline was cut)."""
    stripped = line.strip()
    if _BULLET_RE.match(stripped):
        return False
    previous = block.lines[-1]
    used = _width(previous)
    full = (
        width is not None
        and used <= width + _OVERFLOW
        and used + 1 + _width(stripped.split()[0]) > width - _SLACK
    )
    unfinished = stripped[0].islower() and previous.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END
    if not (full or unfinished):
        return False
    if block.bullet:
        return indent > block.indent
    if block.wrapped_indent is not None:
        return indent == block.wrapped_indent
    return indent <= block.indent  # same indentation, or a first-line indent (newswires)


def split_blocks(text: str) -> list[str]:
    """The paragraphs of ``text``: blank-line separated, hard-wrapped lines joined back."""
    return [block.text for block in _blocks(text.split("\n")) if block.text]


def _blocks(lines: list[str]) -> list[_Block]:
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
    return [block.finish() for block in blocks]


# ---------------------------------------------------------------------------------------------
# Block rules.
# ---------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.casefold().strip(_STRIP_UI).split())


def _is_consent(text: str) -> bool:
    if _CONSENT_RE.search(text):
        return True
    short = _words(text) <= _SHORT  # a menu item: "Gestion des cookies", "Privacy policy"
    return bool(_TOPIC_RE.search(text)) and (short or bool(_CONTEXT_RE.search(text)))


def _is_counter(text: str) -> bool:
    tokens = [t.strip(_STRIP_UI).casefold() for t in text.split()]
    if not tokens or len(tokens) > 12:
        return False
    counted = [t for t in tokens if t in _COUNTER_SET]
    return bool(counted) and all(t in _COUNTER_SET or t.replace(",", "").isdigit() for t in tokens)


# Boilerplate rules in the order they are tried; the name says what each removes.
_BOILERPLATE = (
    ("artefact", lambda text: bool(_ARTEFACT_RE.search(text))),  # lynx rendering debris
    ("ui", lambda text: _key(text) in _UI_SET),  # lone button/menu/ad labels: "OK"
    ("consent", _is_consent),  # cookie and consent banners, privacy-policy links
    ("follow", lambda text: _words(text) <= 15 and bool(_FOLLOW_RE.match(text))),  # "Suivez X"
    ("counter", _is_counter),  # share and comment counters
    ("footer", lambda text: bool(_FOOTER_RE.search(text))),  # copyright footers
)


def boilerplate_rule(text: str) -> str | None:
    """The name of the first boilerplate rule ``text`` (one block) matches, else None."""
    for name, matches in _BOILERPLATE:
        if matches(text):
            return name
    return None


def read_also_title(text: str) -> str | None:
    """The headline announced by a "read also" line ("" if the marker stands alone), else None."""
    stripped = text.lstrip("|>•*-– ")
    match = _READ_ALSO_RE.match(stripped)
    if match is None:
        return None
    rest = stripped[match.end() :]
    title = rest.lstrip(_SEPARATORS + " ")
    if not title or any(ch in _SEPARATORS for ch in rest[: len(rest) - len(title)]):
        return title
    # "Read more about it", "Lire aussitôt": a sentence that starts like a marker.
    return None if title[0].islower() else title


def _credit_after_title(text: str, title: str) -> str | None:
    """The credit of a block that repeats the title with a credit glued to it."""
    if not title or not text.startswith(title):
        return None
    match = _CREDIT_RE.match(text[len(title) :].lstrip())
    return text[len(title) :].lstrip()[match.end() :].strip() if match else None


def _is_prose(block: _Block, headings: bool) -> bool:
    """A block that reads as article text: a sentence of 6+ words, or 25+ words."""
    if block.bullet or (headings and block.indent == 0):
        return False
    words = _words(block.text)
    ends = block.text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END
    return words >= 25 or (ends and words >= 6)


def _headline_like(text: str) -> bool:
    return 2 <= _words(text) <= 25 and text.rstrip(_CLOSERS)[-1:] not in ".!?"


def _date_only(text: str) -> bool:
    return _words(text) <= 6 and find_date(text) is not None


def _credit(text: str, title: str) -> str | None:
    """The photo credit a block carries ("" for a copyright footer), None if it is no credit."""
    glued = _credit_after_title(text, title)
    if glued is not None:
        return glued
    if not _CREDIT_RE.match(text) or _words(text) > 12:
        return None
    return "" if _FOOTER_RE.search(text) else _CREDIT_RE.sub("", text, count=1).strip()


# ---------------------------------------------------------------------------------------------
# Dates.
# ---------------------------------------------------------------------------------------------


def find_date(text: str) -> str | None:
    """The first full date (with a four-digit year) written in ``text``, as ``YYYY-MM-DD``."""
    found: list[tuple[int, str]] = []
    for regex, order in _DATE_RES:
        for match in regex.finditer(text):
            iso = _to_iso(match.groups(), order)
            if iso is not None:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def _to_iso(groups: tuple[str, ...], order: str) -> str | None:
    if order == "ymd":
        year, month, day = (int(g) for g in groups)
    elif order == "mdy":
        month, day, year = _MONTH[groups[0].casefold()], int(groups[1]), int(groups[2])
    elif order == "dmy":
        day, month, year = int(groups[0]), _MONTH[groups[1].casefold()], int(groups[2])
    else:  # dd/mm/yyyy or mm/dd/yyyy: only when one of them cannot be a month
        first, second, year = (int(g) for g in groups)
        if first <= 12 and second <= 12:
            return None
        day, month = (first, second) if first > 12 else (second, first)
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# The splitter.
# ---------------------------------------------------------------------------------------------


@dataclass
class _Parts:
    credit: str = ""
    related: list[str] = field(default_factory=list)
    kept: list[_Block] = field(default_factory=list)

    def add_related(self, title: str) -> None:
        if title and title.casefold() not in {r.casefold() for r in self.related}:
            self.related.append(title)


def _sort_blocks(blocks: list[_Block], title: str, headings: bool) -> _Parts:
    """Credit, related titles and the blocks kept, in order; stops at an end heading."""
    parts = _Parts()
    announced = 0  # headlines still expected after a "read also" marker standing alone
    for block in blocks:
        text = block.text
        if _key(text) == _key(title):
            continue  # the title repeated
        credit = _credit(text, title)
        if credit is not None:
            parts.credit = parts.credit or credit
            continue
        if _key(text) in _END_SET:
            if block.indent > 0 and headings:  # an inline box of links inside the article
                announced = 3
                continue
            if any(_is_prose(b, headings) for b in parts.kept):
                break
        related = read_also_title(text)
        if related is not None:
            parts.add_related(related)
            announced = 0 if related else 3
            continue
        if announced and _date_only(text):
            continue  # the date under an announced headline
        if announced and _headline_like(text) and block.rule is None:
            parts.add_related(text)
            announced -= 1
            continue
        announced = 0
        if block.rule is None:
            parts.kept.append(block)
    return parts


def _is_indented(blocks: list[_Block]) -> bool:
    """Whether paragraphs are indented (lynx), which makes flush-left blocks headings."""
    indented = sum(len(b.text) for b in blocks if b.indent >= 2)
    return indented > 0.5 * sum(len(b.text) for b in blocks)


def _dateline(kept: list[_Block], first: int) -> str | None:
    """The date written just before the first prose block (nearest first) or at its start."""
    openings = [b.text for b in kept[max(0, first - 6) : first][::-1]]
    if first < len(kept):
        openings.append(kept[first].text[:60])
    return next((d for d in map(find_date, openings) if d), None)


def _main_span(blocks: list[_Block], headings: bool) -> tuple[int, int] | None:
    """First and last index of the article: the span of blocks with the best score, where a
    prose block scores its length and any other block costs ``_GAP_COST`` (a maximum-sum
    subarray: menus and footers hold many blocks and little prose)."""
    best, best_score, start, score = None, 0, 0, 0
    for i, block in enumerate(blocks):
        prose = _is_prose(block, headings) and not block.rule
        gain = len(block.text) if prose else -_GAP_COST
        if score <= 0:
            if gain <= 0:
                continue
            start, score = i, 0
        score += gain
        if score > best_score:
            best, best_score = (start, i), score
    return best


def _title_index(blocks: list[_Block], headings: bool) -> int:
    """The title: the first block that is no artefact or UI label, except in an indented dump,
    where it is the heading (flush-left block) closest before the article."""
    skipped = ("artefact", "ui")
    first = next((i for i, b in enumerate(blocks) if b.rule not in skipped), 0)
    span = _main_span(blocks, headings) if headings else None
    for i in range(span[0] - 1 if span else -1, first - 1, -1):
        block = blocks[i]
        heading = block.indent == 0 and not block.bullet and 3 <= _words(block.text) <= 40
        if heading and not block.rule and read_also_title(block.text) is None:
            return i
    return first


def split_fields(text: str) -> dict:
    """Split a page dump into ``title, lead, body, related, credit, date`` (see module doc)."""
    blocks = _blocks(normalize_text(text).split("\n"))
    headings = _is_indented(blocks)
    start = _title_index(blocks, headings)
    title = blocks[start].text if blocks else ""
    parts = _sort_blocks(blocks[start + 1 :], title, headings)
    first, last = _main_span(parts.kept, headings) or (0, len(parts.kept) - 1)
    paragraphs = [b.text for b in parts.kept[first : last + 1]]
    return {
        "title": title,
        "lead": paragraphs[0] if paragraphs else "",
        "body": "\n\n".join(paragraphs),
        "related": parts.related,
        "credit": parts.credit,
        "date": _dateline(parts.kept, first),
    }
