"""Publication dates, from metadata or written in text, as ISO 8601 strings.

What is returned:

* a date written in text ("22 mai 2012", "March 3, 2015", "3. März 2015", "3 de marzo de 2015",
  "3 de março de 2015", "3 марта 2015", "12/03/2019", "2023年9月6日") is ``YYYY-MM-DD``: the
  time next to it ("à 10h05", "3:00 p.m.") is dropped, because its time zone is not written;
* a machine-readable metadata value (a JSON record's ``date``, a sidecar file) is kept as
  written when it is valid ISO 8601, time and offset included: the producer chose it;
* a date in a URL's path ("/2023/10/19/", "/2022-12-30/") is read by ``date_from_url``, which
  the readers use when the page states no date itself;
* a date without a year is ``None``: never guessed. A two-digit year is read only inside a
  publication stamp ("Publié le 08/03/22"), where it can only mean this century.

Numeric dates: day first in every language but English; in English, or when the language is
unknown, ``dd/mm/yyyy`` is read only when one of the two numbers cannot be a month.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

# Month names: twelve "|"-separated groups (January first) of spelling variants; abbreviations
# may be followed by a dot ("févr.", "Feb.").
MONTHS: dict[str, str] = {
    "fr": "janvier janv|février fevrier févr fevr|mars|avril avr|mai|juin|juillet juil"
    "|août aout|septembre sept|octobre oct|novembre nov|décembre decembre déc dec",
    "en": "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug"
    "|september sept sep|october oct|november nov|december dec",
    "de": "januar jänner jan|februar feb|märz maerz|april apr|mai|juni|juli|august aug"
    "|september sept sep|oktober okt|november nov|dezember dez",
    "es": "enero ene|febrero feb|marzo mar|abril abr|mayo may|junio jun|julio jul|agosto ago"
    "|septiembre setiembre sep sept|octubre oct|noviembre nov|diciembre dic",
    "pt": "janeiro jan|fevereiro fev|março marco mar|abril abr|maio mai|junho jun|julho jul"
    "|agosto ago|setembro set|outubro out|novembro nov|dezembro dez",
    "it": "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
    "|novembre|dicembre",
    # Russian writes the genitive after a day number ("3 марта"); abbreviations as in news sites.
    "ru": "января янв|февраля фев|марта мар|апреля апр|мая|июня июн|июля июл|августа авг"
    "|сентября сен сент|октября окт|ноября ноя|декабря дек",
}

# Words that open a publication or update stamp ("Publié le …", "Updated …"): they make a
# two-digit year readable and, in a stamp, a numeric date day-first when not English.
STAMPS: dict[str, str] = {
    "fr": "publié|publiée|mis à jour|mise à jour|modifié|actualisé|première publication",
    "en": "published|updated|posted|last updated|first published|last modified",
    "de": "veröffentlicht|aktualisiert|erstellt|zuletzt aktualisiert|stand",
    "es": "publicado|publicada|actualizado|actualizada|modificado",
    "pt": "publicado|publicada|atualizado|atualizada|atualização",
    "ru": "опубликовано|опубликован|обновлено|дата публикации|последнее обновление",
}

_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _month_numbers() -> dict[str, int]:
    numbers: dict[str, int] = {}
    for groups in MONTHS.values():
        for number, names in enumerate(groups.split("|"), start=1):
            numbers.update(dict.fromkeys(names.split(), number))
    return numbers


_MONTH = _month_numbers()
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTH), key=len, reverse=True))
_STAMP_WORDS = {
    lang: sorted((w for w in words.split("|")), key=len, reverse=True)
    for lang, words in STAMPS.items()
}
STAMP_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for ws in _STAMP_WORDS.values() for w in ws) + r")\b",
    re.IGNORECASE,
)
_DAY_FIRST_STAMP_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(w) for lang, ws in _STAMP_WORDS.items() if lang != "en" for w in ws)
    + r")\b",
    re.IGNORECASE,
)
_DAY = r"(\d{1,2})(?:er|st|nd|rd|th|º|°)?"
_YEAR = r"(\d{4})(?!\d)"
# A numeric date may be glued to the next one: a page printed "updated" then "published" with
# nothing between them ("08.10.202225.08.2022").
_NUMERIC_END = r"(?=\d{1,2}[./-]\d{1,2}[./-]\d{4}(?!\d)|(?![\d.]))"
DATE_RES = (  # (regex, order of its groups), tried in this order at each position
    (re.compile(r"(?<!\d)(\d{4})-(\d\d)-(\d\d)(?!\d)"), "ymd"),  # also 2023-11-20T10:00
    # Text segmented into words (Chinese dumps) spaces the hyphens: "2022 - 11 - 25".
    (re.compile(r"(?<!\d)(\d{4}) - (\d\d) - (\d\d)(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), "ymd"),
    (re.compile(rf"(?<![\d.])(\d{{1,2}})[./-](\d{{1,2}})[./-](\d{{4}}){_NUMERIC_END}"), "numeric"),
    (
        re.compile(
            # A day may follow a year glued to it: lynx printed a date twice, "23 Oct 202323 Oct".
            rf"(?:(?<!\d)|(?<=(?:19|20)\d\d)){_DAY}(?:\.\s*|\s+)(?:de\s+)?({_MONTH_RE})\b"
            rf"\.?,?\s*(?:de\s+|del\s+)?{_YEAR}",
            re.IGNORECASE,
        ),
        "dmy",
    ),
    (
        re.compile(rf"\b({_MONTH_RE})\b\.?\s+{_DAY}\.?,?\s+{_YEAR}", re.IGNORECASE),
        "mdy",
    ),
)
# A day and a month without a year ("21 février", "March 3"): not a date, but it tells a stamp.
DAY_MONTH_RE = re.compile(
    rf"(?<!\d){_DAY}(?:\.\s*|\s+)(?:de\s+)?({_MONTH_RE})\b|\b({_MONTH_RE})\b\.?\s+\d{{1,2}}\b",
    re.IGNORECASE,
)
# dd/mm/yy right after a stamp word: "Publié le 08/03/22 à 15h29", "Mis à jour le 9.3.22".
_SHORT_YEAR_RE = re.compile(
    rf"(?:{STAMP_RE.pattern})\W{{0,12}}(?:(?:le|am|el|em|on)\s+)?"
    r"(\d{1,2})[./](\d{1,2})[./](\d\d)(?![\d./])",
    re.IGNORECASE,
)


# Ages instead of dates, alone on a line: "3h ago", "22d ago", "il y a 3 heures", "vor 2 Tagen",
# "hace 3 horas", "há 2 dias", "3 часа назад".
RELATIVE_AGE_RE = re.compile(
    r"^(?:il y a|vor|hace|há)?\s*\d+\s*(?:[smhdw]|mins?|minutes?|hours?|hrs?|days?|weeks?"
    r"|months?|years?|heures?|jours?|semaines?|mois|ans?|stunden?|tagen?|wochen?|minuten?"
    r"|horas?|días?|dias?|semanas?|meses|minutos?|час\w*|дн\w*|день|минут\w*|недел\w*)\.?"
    r"\s*(?:ago|назад)?$",
    re.IGNORECASE,
)

# Times and ages: "10h05", "3:00", "5 min", "il y a", "ago".
TIME_RE = re.compile(
    r"\b\d{1,2}\s*(?:h|:)\s*\d\d\b|\b\d+\s*(?:min|minutes?|hours?|heures?|h|stunden|horas?"
    r"|час\w*|минут\w*)\b|\b(?:ago|il y a|vor|hace|há|назад)\b",
    re.IGNORECASE,
)
# Words a stamp holds besides its date: weekdays, "le", "à", time zones, numbers...
_STAMP_FILLER_RE = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch"
    r"|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado"
    r"|domingo|segunda|terça|quarta|quinta|sexta|понедельник|вторник|среда|четверг|пятница"
    r"|суббота|воскресенье|le|am|el|on|à|at|um|a las|às|в|г|года|utc|gmt|cet|cest|et|edt"
    r"|est|pm|am|p\.m|a\.m|\d+)\b\.?",
    re.IGNORECASE,
)


def strip_dates(text: str) -> str:
    """What ``text`` says besides dates: dates, days and months, times, ages, stamp words
    ("Publié le", "Updated"), weekdays and time zones taken out (is a line only a date?)."""
    for regex, _order in DATE_RES:
        text = regex.sub(" ", text)
    text = TIME_RE.sub(" ", DAY_MONTH_RE.sub(" ", text))
    return " ".join(_STAMP_FILLER_RE.sub(" ", STAMP_RE.sub(" ", text)).split())


def find_date(text: str, lang: str = "") -> str | None:
    """The first full date (with its year) written in ``text``, as ``YYYY-MM-DD``, else None.

    ``lang`` is the text's language, when known: it decides the order of numeric dates.
    """
    day_first = (bool(lang) and lang != "en") or bool(_DAY_FIRST_STAMP_RE.search(text))
    found: list[tuple[int, str]] = []
    for regex, order in DATE_RES:
        for match in regex.finditer(text):
            iso = _to_iso(match.groups(), order, day_first)
            if iso is not None:
                found.append((match.start(), iso))
                break
    for match in _SHORT_YEAR_RE.finditer(text):
        first, second, year = match.groups()
        iso = _to_iso((first, second, str(_short_year(int(year)))), "numeric", day_first)
        if iso is not None:
            found.append((match.start(1), iso))
            break
    return min(found)[1] if found else None


# A date in a URL's path: "/2023/10/19/", "/2022-12-30/", "/20231019/" (a whole segment, or
# one between hyphens: "-2023-10-19-"). A year and month alone ("/2023/10/") is not a date.
_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=/|$|\.html?$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/|$)"),
)


def date_from_url(url: str | None) -> str | None:
    """The date a URL's path states (``YYYY-MM-DD``), else None: "/2023/10/19/slug" gives
    2023-10-19; a year and a month without a day give nothing (never guessed)."""
    if not url:
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    for regex in _URL_DATE_RES:
        for match in regex.finditer(path):
            iso = _valid(*(int(g) for g in match.groups()))
            if iso is not None:
                return iso
    return None


def parse_date(value: str, lang: str = "") -> str | None:
    """A metadata date: valid ISO 8601 (of a plausible year) kept as written, else the date
    written in ``value`` (``find_date``), else None."""
    value = " ".join(value.split())
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return find_date(value, lang)
    return value if _MIN_YEAR <= parsed.year <= _MAX_YEAR else None


def date_only(value: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or timestamp (None stays None)."""
    return value[:10] if value else None


def _to_iso(groups: tuple[str, ...], order: str, day_first: bool) -> str | None:
    if order == "ymd":
        year, month, day = (int(g) for g in groups)
    elif order == "mdy":
        month, day, year = _MONTH[groups[0].casefold()], int(groups[1]), int(groups[2])
    elif order == "dmy":
        day, month, year = int(groups[0]), _MONTH[groups[1].casefold()], int(groups[2])
    else:  # dd/mm/yyyy, or mm/dd/yyyy in English
        first, second, year = (int(g) for g in groups)
        if day_first or first > 12:
            day, month = first, second
        elif second > 12:
            day, month = second, first
        else:
            return None  # 05/04/2023 in English or in an unknown language: either way round
    return _valid(year, month, day)


def _short_year(year: int) -> int:
    this_year = dt.date.today().year
    return 2000 + year if 2000 + year <= this_year + 1 else 1900 + year


def _valid(year: int, month: int, day: int) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
