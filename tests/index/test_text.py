"""Text normalisation and tolerant decoding."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import corpus_lines
from index.text import (
    _CONTROLS,
    _GLUED_SENTENCES,
    _NEWLINES,
    _PARAGRAPH_SEPARATOR,
    _TRANSLATE,
    count_words,
    decode_bytes,
    normalize_text,
    text_width,
    unglue_sentences,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("e\u0301le\u0300ve", "élève"),  # decomposed → NFC
        ("pre\u00admier lan\u00adceur", "premier lanceur"),  # soft hyphens
        ("zero\u200bwidth\u200c\u200djoin\u2060ers\ufeff", "zerowidthjoiners"),
        ("comme\u00a0si\u202f!\u2009ok\u3000fin", "comme si ! ok fin"),  # no-break, narrow, thin
        ("one\r\ntwo\rthree\u2028four", "one\ntwo\nthree\nfour"),
        ("para\u2029next", "para\n\nnext"),
        ("trailing   \nspaces\t \n", "trailing\nspaces\n"),
        ("   indented stays", "   indented stays"),
        ("end of text\x03 and bell\x07", "end of text and bell"),
        ("l’OTAN « entre guillemets » ‘ok’", "l’OTAN « entre guillemets » ‘ok’"),  # kept as written
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str):
    assert normalize_text(raw) == expected


@given(st.text())
def test_normalize_text_is_idempotent_nfc_and_has_no_invisible_characters(text: str):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not set(once) & set("\u00ad\u200b\u00a0\u202f\r")
    assert all(line == line.rstrip(" \t") for line in once.split("\n"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Crimée".encode(), "Crimée"),
        (b"\xef\xbb\xbfwith BOM", "with BOM"),
        ("Crimée".encode("utf-16"), "Crimée"),  # UTF-16 with its BOM, either byte order
        (b"\xfe\xff" + "Crimée".encode("utf-16-be"), "Crimée"),
        ("Crimée".encode("utf-32"), "Crimée"),
        ("Crimée, été".encode("latin-1"), "Crimée, été"),
        ("Crimée, été".encode("cp1252"), "Crimée, été"),  # legacy single-byte text
        ("нелегальных".encode()[:-1] + b"\n   next", "нелегальны\ufffd\n   next"),  # lynx cut
        (b"", ""),
    ],
)
def test_decode_bytes(data: bytes, expected: str):
    assert decode_bytes(data) == expected


def test_decode_bytes_keeps_valid_utf8_around_a_stray_byte():
    assert decode_bytes("é".encode() + b"\xc3" + " à".encode()) == "é\ufffd à"


@given(st.binary())
def test_decode_bytes_never_raises(data: bytes):
    assert isinstance(decode_bytes(data), str)


# --- damaged UTF-8: lynx dumps ------------------------------------------------------------------
#
# lynx read UTF-8 pages as Latin-1 and wrapped lines at what it took for spaces: the second byte
# of "à" (C3 A0, A0 = no-break space) or of "х" (D1 85, 85 = NEL) became the line break, and
# the first byte was left alone at the end of the line.


def test_a_character_cut_at_a_line_end_is_restored_from_the_rest_of_the_text():
    data = b"visant " + b"\xc3\n   " + "façonner une société à l'écoute".encode()
    assert decode_bytes(data) == "visant à\n   façonner une société à l'écoute"


def test_a_cut_cyrillic_letter_is_restored_too():
    data = "которы".encode() + b"\xd1\n   " + "их было много".encode()
    assert decode_bytes(data) == "которых\n   их было много"


def test_a_cut_character_the_text_does_not_tell_stays_a_replacement_character():
    data = "нелегальны".encode() + b"\xd1\n   " + b"next"
    assert decode_bytes(data) == "нелегальны\ufffd\n   next"


def test_stray_bytes_never_abort_a_text():
    text = "Le trois-mâts a accosté à Saint-Aubin, après dix-neuf jours de traversée."
    data = text.encode() + b"\xff\xfe\xc3" + b" Fin."
    assert decode_bytes(data) == f"{text}\ufffd\ufffd\ufffd Fin."


# --- legacy encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("La traversée a duré dix-neuf jours, malgré la tempête.", "cp1252"),
        ("Die Fischer sorgen sich um den sinkenden Fischpreis. Größe über alles.", "cp1252"),
        ("El ayuntamiento aprobó anoche el presupuesto de la ciudad.", "latin-1"),
        ("Городской совет вчера вечером утвердил бюджет города на следующий год.", "cp1251"),
        ("海南省旅游和文化广电厅日前发布通知，要求各地做好准备。", "gb18030"),
    ],
)
def test_text_without_utf8_is_detected(text: str, encoding: str):
    assert decode_bytes(text.encode(encoding)) == text


# --- words and widths ---------------------------------------------------------------------------


def test_count_words_adds_a_word_per_two_cjk_characters():
    assert count_words("le port de Saint-Aubin") == 4
    assert count_words("海南省旅游") == 3  # one "word" between spaces, five characters


def test_text_width_counts_wide_characters_twice():
    assert text_width("abc") == 3
    assert text_width("海南") == 4


@pytest.mark.parametrize(
    ("glued", "expected"),
    [
        ("les premières images.Ce véhicule", "les premières images. Ce véhicule"),
        ("à Moscou!Les", "à Moscou! Les"),
        ("в Москве.Это", "в Москве. Это"),
        ("les U.S.A. et l'UE", "les U.S.A. et l'UE"),
        ("voir www.nato.int", "voir www.nato.int"),
        ("M.Dupont a dit", "M.Dupont a dit"),
        ("e.g.Foo", "e.g.Foo"),
        ("en 2014.Le", "en 2014.Le"),
    ],
)
def test_glued_sentences_are_split_only_on_clear_evidence(glued: str, expected: str):
    assert unglue_sentences(glued) == expected


# The plain forms of two fast paths of index.text, checked against them.
_PLAIN_GLUED = re.compile(r"(?<=[^\W\d_]{2})([.!?])(?=[^\W\d_][^\W\d_])")
_ODD = "\u00ad\u200b\u200c\u200d\u2060\u180e\ufeff\u00a0\u1680\u2000\u2009\u202f\u205f\u3000"


def _plain_normalize(text: str) -> str:
    text = _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")
    text = _CONTROLS.sub("", text.translate(_TRANSLATE))
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def test_fast_paths_give_what_the_plain_forms_give():
    lines = [*corpus_lines()]
    lines += [f"{line[:9]}{ch}{line[9:]}" for ch in _ODD for line in lines[:300]]
    assert len(lines) > 5000
    for line in lines:
        assert normalize_text(line) == _plain_normalize(line)
        found = [(m.span(), m.group(1)) for m in _GLUED_SENTENCES.finditer(line)]
        assert found == [(m.span(), m.group(1)) for m in _PLAIN_GLUED.finditer(line)]


@given(st.text(alphabet=st.sampled_from(["a", "É", "é", ".", "?", "1", "_", " ", *_ODD])))
def test_fast_paths_give_what_the_plain_forms_give_on_any_text(text: str):
    assert normalize_text(text) == _plain_normalize(text)
    found = [m.span() for m in _GLUED_SENTENCES.finditer(text)]
    assert found == [m.span() for m in _PLAIN_GLUED.finditer(text)]
