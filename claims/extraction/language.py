"""The language of an article's text.

py3langid (BSD, a maintained fork of langid.py): 97 languages, its model ships in
the wheel as numpy arrays (no pickle, no download), about 3 ms for the 3,000
characters we look at. The model (~5 MB) is loaded once, on first use.

We only need to know whether a text is English (the check-worthiness model is
English): anything else is named only when the detector is confident, and text
too short to tell is taken as English, as before.
"""

from __future__ import annotations

import functools

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["ENGLISH", "LANGUAGE_NAMES", "detect_language", "language_name"]

ENGLISH = "en"
SAMPLE_CHARS = 3000  # enough for a confident answer; the cost grows with length
MIN_CHARS = 40  # below this, a handful of words: do not guess
MIN_CONFIDENCE = 0.9

LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
    "mt": "Maltese", "nb": "Norwegian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh": "Chinese",
}


@functools.cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language; "en" unless another one is clear."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_CHARS:
        return ENGLISH
    code, confidence = _identifier().classify(sample)
    if code != ENGLISH and confidence < MIN_CONFIDENCE:
        return ENGLISH
    return code


def language_name(code: str) -> str:
    """"French" for "fr"; the code itself for a language without a name here."""
    return LANGUAGE_NAMES.get(code, code)
