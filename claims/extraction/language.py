"""The language of an article's text.

pycld2 (Apache-2.0): Python bindings to Chromium's Compact Language Detector 2. Its
model is compiled into the wheel (no download, no pickle); importing it adds about
1.5 MB and a detection takes well under a millisecond. py3langid was measured too:
74 MB more RSS, a 2-4 s model load and about 4 ms a detection, for the same
answers on our samples.

We only need to know whether a text is English (the check-worthiness model is
English): another language is named only when the detector calls its answer
reliable, and text too short to tell is taken as English.
"""

from __future__ import annotations

import re

import pycld2

__all__ = ["ENGLISH", "LANGUAGE_NAMES", "detect_language", "language_name"]

ENGLISH = "en"
SAMPLE_CHARS = 3000  # enough for a reliable answer; the cost grows with length
MIN_LETTERS = 40  # below this, a handful of words: do not guess
MIN_PERCENT = 50  # the top language must cover at least half the text

# CLD2 still uses a few retired ISO 639-1 codes.
_OLD_CODES = {"iw": "he", "in": "id", "jw": "jv", "mo": "ro"}
# Characters CLD2 refuses (it wants valid UTF-8 without C0 controls).
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "ms": "Malay",
    "mt": "Maltese",
    "nb": "Norwegian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language; "en" unless another one is clear."""
    sample = _REFUSED.sub(" ", text[:SAMPLE_CHARS])
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return ENGLISH
    try:
        reliable, _, details = pycld2.detect(sample)
    except pycld2.error:  # defensive: CLD2 refuses some byte sequences
        return ENGLISH
    _, code, percent, _ = details[0]
    code = _OLD_CODES.get(code, code.split("-")[0].lower())
    if not reliable or code in ("un", "xx", ENGLISH) or percent < MIN_PERCENT:
        return ENGLISH
    return code


def language_name(code: str) -> str:
    """ "French" for "fr"; the code itself for a language without a name here."""
    return LANGUAGE_NAMES.get(code, code)
