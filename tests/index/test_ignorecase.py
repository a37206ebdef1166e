"""Case-insensitive regexes searched in folded text find exactly what ``re.IGNORECASE`` finds:
each character, each rule regex of ``index.boilerplate`` on real and generated lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import index.boilerplate as rules
from builders import corpus_lines
from index.ignorecase import IgnoreCase, compile_ignorecase, fold, foldable

# Every script with case, and the characters re.IGNORECASE treats specially ("ſ", "K", "ı").
CASED = [
    *range(0x20, 0x2000),
    *range(0x2100, 0x2200),  # letterlike symbols: K (Kelvin), Å (Angstrom)
    *range(0x2460, 0x2500),  # circled letters
    *range(0x2C00, 0x2D30),
    *range(0xA640, 0xA800),
    *range(0xFB00, 0xFB10),
    *range(0xFF00, 0xFF60),
    *range(0x10400, 0x10500),
    *range(0x10570, 0x105C0),
    *range(0x10C80, 0x10D00),
    *range(0x118A0, 0x11900),
    *range(0x16E40, 0x16EA0),
    *range(0x1E900, 0x1E960),
]
ALL = "".join(map(chr, CASED))
TRICKY = "ſſKıİiIßẞΣσςΐµμÅåǅǄǆſtﬅ\u0345ιιΙᲀвВ"
PIECES = [*TRICKY, " ", ".", ":", "-", "'", "’", "©", "1", "\n", "cookie", "newsletter"]
PIECES += ["publicité", "реклама", "podcast", "transkript", "anzeige", "share"]


def rule_regexes() -> dict[str, IgnoreCase]:
    return {name: value for name, value in vars(rules).items() if isinstance(value, IgnoreCase)}


def generated_lines() -> list[str]:
    """The rules' own phrases, in every case, with letters swapped for their odd equivalents."""
    phrases: set[str] = set()
    tables = [rules.UI_LINES, rules.COUNTER_WORDS, rules.READ_ALSO, rules.END_HEADINGS]
    for table in tables:
        for value in table.values():
            phrases.update(value.split("|"))
    out = []
    for phrase in sorted(phrases):
        for variant in (phrase, phrase.upper(), phrase.title(), phrase.swapcase()):
            out += [variant, f"Prefix {variant} tail.", f"{variant}: 12"]
            out.append(variant.replace("s", "ſ").replace("i", "ı").replace("k", "\u212a"))
    return out


def test_fold_keeps_every_character_a_character_of_its_kind():
    folded = fold(ALL)
    assert len(folded) == len(ALL)
    for char, into in zip(ALL, folded, strict=True):
        assert char.isalnum() == into.isalnum() and char.isspace() == into.isspace()
        assert char.isdecimal() == into.isdecimal()


def test_a_letter_of_a_pattern_matches_exactly_the_characters_folding_to_it():
    """What makes a foldable pattern exact: re.IGNORECASE matches a pattern letter with the
    very characters that fold to it (checked on every cased script)."""
    letters = {
        ch
        for regex in rule_regexes().values()
        if regex.folded
        for ch in regex.regex.pattern
        if ch.isalpha()
    }
    folded = fold(ALL)
    assert len(letters) > 60  # Latin, accented and Cyrillic
    for letter in sorted(letters):
        by_flag = {m.start() for m in re.finditer(re.escape(letter), ALL, re.IGNORECASE)}
        by_fold = {i for i, ch in enumerate(folded) if ch == letter}
        assert by_flag == by_fold, letter


def test_the_rules_regexes_are_searched_folded():
    found = rule_regexes()
    assert len(found) >= 20
    assert sum(regex.folded for regex in found.values()) >= 18  # two keep the flag (ranges)
    assert not compile_ignorecase(rules.ARTEFACTS).folded  # "[0-9A-F]", "IFRAME"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("cookies?", True),
        (r"\bvous\b|\d+ min", True),
        ("[ée]dito", True),
        ("[a-z]", False),  # a range: its equivalents are not listed
        ("IFRAME", False),  # a capital folds to its lowercase
        ("(?-i:Photo)", False),
        (r"(a)\1", False),
    ],
)
def test_foldable(pattern: str, expected: bool):
    assert foldable(pattern) is expected


def same_matches(line: str) -> None:
    folded = fold(line)
    for name, regex in rule_regexes().items():
        flagged = re.compile(regex.regex.pattern, re.IGNORECASE)
        for method in ("search", "match"):
            want = getattr(flagged, method)(line)
            got = getattr(regex, method)(line, folded)
            assert (want and want.span()) == (got and got.span()), (name, method, line)


def test_rule_regexes_match_as_with_the_flag_on_real_and_generated_lines():
    lines = [*corpus_lines(), *generated_lines()]
    assert len(lines) > 5000
    for line in lines:
        same_matches(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_rule_regexes_match_as_with_the_flag_on_odd_text(parts: list[str]):
    same_matches("".join(parts))
