"""Text normalisation and tolerant decoding."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.text import decode_bytes, normalize_text


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
        ("Crimée".encode("utf-16"), "Crimée"),
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
