"""Language identification with py3langid, restricted to the languages the engine supports."""

from __future__ import annotations

import threading

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# ISO 639-1 codes the classifier may answer; restricting the model is both faster and far more
# accurate than letting it choose among its ~100 languages.
LANGUAGES = ("fr", "en", "de", "es", "pt", "it", "nl", "ru", "ar", "zh", "ja", "ko")

# Below this many letters a text is too short to tell its language reliably: a page's declared
# language is trusted instead.
MIN_LETTERS = 100

# The classifier reads character n-grams: the first few thousand characters decide as well as
# the whole article and keep detection fast on long texts.
MAX_CHARS = 3000

_identifier: LanguageIdentifier | None = None
_lock = threading.Lock()


def get_identifier() -> LanguageIdentifier:
    """The module's one identifier, loaded on first use (the model takes ~0.2 s to load)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
                identifier.set_languages(list(LANGUAGES))
                _identifier = identifier
    return _identifier


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language of ``text`` (one of ``LANGUAGES``); "" if no letters."""
    sample = text[:MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return ""
    lang, _score = get_identifier().classify(sample)
    return str(lang)


def language_code(value: str) -> str:
    """The primary subtag of a language tag, lower-cased ("fr-FR", "fr_FR" → "fr"); "" if the
    value is not one."""
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if 2 <= len(code) <= 3 and code.isascii() and code.isalpha() else ""


def choose_language(text: str, declared: str = "") -> str:
    """The language of ``text``: detected when the text is long enough to tell, else the
    ``declared`` one (a page's ``<html lang>``: templates often declare a wrong one)."""
    declared = language_code(declared)
    sample = text[:MAX_CHARS]
    if declared and sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return declared
    return detect_language(text) or declared
