"""Which language an input is in, and whether propscope can analyse it.

Detection is offline: py3langid (a Naive Bayes byte n-gram model of 139 languages that ships
inside its wheel, no download) with length-calibrated probabilities. Codes are ISO 639-1
(``en``, ``fr``, ``de``, ``it``, ``pl``, ``ru``) everywhere in the public API; SemEval-2023
Task 3 names its data folders differently (``ge`` for German, ``po`` for Polish), so
`SEMEVAL_CODE` maps ours to theirs and `iso_code` maps either back to ours.

Foreign text must never get a silent English analysis: callers route a text by
`detect_language` and stop unsupported languages with `require_supported`.

>>> detect_language("Le gouvernement a présenté mardi un projet de loi sur les retraites.").code
'fr'
>>> SEMEVAL_CODE["de"]
'ge'
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from propscope.errors import UnsupportedLanguageError

if TYPE_CHECKING:
    from propscope.schema import Analysis

__all__ = [
    "ANALYSED",
    "LANGUAGE_NAMES",
    "SEMEVAL_CODE",
    "SUPPORTED_PARAGRAPHS",
    "SUPPORTED_SPANS",
    "UNDETERMINED",
    "LanguageGuess",
    "contradicting_guess",
    "given_language_contradicted",
    "contradiction_message",
    "detect_language",
    "detectable_codes",
    "foreign_letters",
    "iso_code",
    "language_code",
    "language_name",
    "letter_fit",
    "own_words",
    "require_supported",
]

UNDETERMINED = "und"  # ISO 639-2 code for "cannot tell" (empty text, digits only, ...)

# Languages with a span tagger (English: the fine-tuned MiniLM tagger; French, German,
# Italian, Polish, Russian: the multilingual e5 tagger) and with paragraph-level technique,
# genre and frame models: the six SemEval-2023 Task 3 languages.
SUPPORTED_SPANS: frozenset[str] = frozenset({"en", "fr", "de", "it", "pl", "ru"})
SUPPORTED_PARAGRAPHS: frozenset[str] = frozenset({"en", "fr", "de", "it", "pl", "ru"})

# ISO 639-1 code -> SemEval-2023 Task 3 data folder name.
SEMEVAL_CODE: dict[str, str] = {
    "en": "en",
    "fr": "fr",
    "de": "ge",
    "it": "it",
    "pl": "po",
    "ru": "ru",
}
_FROM_SEMEVAL = {semeval: iso for iso, semeval in SEMEVAL_CODE.items()}
# The languages analysed, in the order messages list them: "en, fr, de, it, pl, ru"
ANALYSED: tuple[str, ...] = tuple(c for c in SEMEVAL_CODE if c in SUPPORTED_PARAGRAPHS)

# English names for messages and the schema's `language.name`: every code py3langid can
# return (139 languages: ISO 639-1 where one exists, else ISO 639-3, e.g. `arz` Egyptian
# Arabic), named mostly as Unicode CLDR names it, else by its ISO 639-3 name. Any
# other code (one given by hand) is shown as the code itself.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pl": "Polish",
    "ru": "Russian",
    "ace": "Acehnese",
    "af": "Afrikaans",
    "am": "Amharic",
    "an": "Aragonese",
    "ar": "Arabic",
    "ary": "Moroccan Arabic",
    "arz": "Egyptian Arabic",
    "as": "Assamese",
    "az": "Azerbaijani",
    "ba": "Bashkir",
    "bcl": "Central Bikol",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "crh": "Crimean Tatar",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "dz": "Dzongkha",
    "el": "Greek",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "ext": "Extremaduran",
    "fa": "Persian",
    "fi": "Finnish",
    "fo": "Faroese",
    "fuv": "Nigerian Fulfulde",
    "fy": "Western Frisian",
    "ga": "Irish",
    "gcf": "Guadeloupean Creole",
    "gcr": "Guianese Creole",
    "gd": "Scottish Gaelic",
    "gl": "Galician",
    "gom": "Goan Konkani",
    "grc": "Ancient Greek",
    "gu": "Gujarati",
    "gug": "Paraguayan Guarani",
    "guw": "Gun",
    "ha": "Hausa",
    "hbo": "Ancient Hebrew",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "ht": "Haitian Creole",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "ig": "Igbo",
    "is": "Icelandic",
    "ja": "Japanese",
    "jv": "Javanese",
    "ka": "Georgian",
    "kab": "Kabyle",
    "kik": "Kikuyu",
    "kk": "Kazakh",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "ku": "Kurdish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lg": "Ganda",
    "lij": "Ligurian",
    "ln": "Lingala",
    "lo": "Lao",
    "lt": "Lithuanian",
    "ltg": "Latgalian",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "nso": "Northern Sotho",
    "oc": "Occitan",
    "om": "Oromo",
    "or": "Odia",
    "pa": "Punjabi",
    "pcm": "Nigerian Pidgin",
    "ps": "Pashto",
    "pt": "Portuguese",
    "qu": "Quechua",
    "ro": "Romanian",
    "rw": "Kinyarwanda",
    "sa": "Sanskrit",
    "sdh": "Southern Kurdish",
    "se": "Northern Sami",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sn": "Shona",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "st": "Southern Sotho",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tg": "Tajik",
    "th": "Thai",
    "tk": "Turkmen",
    "tl": "Tagalog",
    "tr": "Turkish",
    "tt": "Tatar",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "uzs": "Southern Uzbek",
    "vec": "Venetian",
    "vi": "Vietnamese",
    "vo": "Volapük",
    "wa": "Walloon",
    "wuu": "Wu Chinese",
    "xh": "Xhosa",
    "yo": "Yoruba",
    "yue": "Cantonese",
    "zh": "Chinese",
    "zu": "Zulu",
}

# Enough text for a confident guess; scoring a whole long article only costs time.
_MAX_CHARS = 20_000


@dataclass(frozen=True)
class LanguageGuess:
    """The most probable language (ISO 639-1 code, or ``und``) and its probability."""

    code: str
    confidence: float

    @property
    def name(self) -> str:
        return language_name(self.code)


@lru_cache(maxsize=1)
def _identifier():
    """The py3langid model, loaded once (about 1 s) and only read afterwards."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of ``text``; ``und`` with confidence 0 when there are no letters.

    Confidence is the model's normalised probability: above ~0.9 for a sentence or more of
    one language; short or mixed snippets (a headline, a name) get low values, so treat a
    guess under 0.5 as a hint, not a verdict.
    """
    sample = text[:_MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return LanguageGuess(UNDETERMINED, 0.0)
    code, probability = _identifier().classify(sample)
    if code == "zxx":  # py3langid's "no linguistic content"
        return LanguageGuess(UNDETERMINED, 0.0)
    return LanguageGuess(code, round(float(probability), 6))


# Quoted speech, a quote mark to its pair within a paragraph: "Russian narration with long
# English quotes" is Russian, whatever language most of its characters are in.
_QUOTED = re.compile(r"“[^“”\n]*”|«[^«»\n]*»|„[^„“”\n]*[“”]|\"[^\"\n]*\"")
# The author's words are read alone when they have at least this many letters.
_OWN_LETTERS = 100


def own_words(paragraphs: Sequence[str], title: bool = False) -> str:
    """What the language of an article is detected on: its paragraphs without quoted speech,
    and without the title (``title``: the first paragraph is one), when at least 100 letters
    remain; else without quoted speech; else all of it.

    A Polish article under a Ukrainian headline, or a Russian one quoting English at length,
    is in the language its author writes.
    """
    texts = list(paragraphs)
    body = texts[1:] if title and len(texts) > 1 else texts
    for chosen in (body, texts):
        unquoted = "\n".join(_QUOTED.sub(" ", t) for t in chosen)
        if sum(ch.isalpha() for ch in unquoted) >= _OWN_LETTERS:
            return unquoted
    return "\n".join(texts)


# Letters a language's own words never use: a text "in Polish" written with ě, ř or ŭ is
# Sorbian, Czech or Belarusian in Latin script, which the detector does not know and so
# calls Polish (likewise Romansh "Italian", Ukrainian "Russian"). They include what a page
# decoded with the wrong legacy charset makes of the language's own letters (mojibake):
# Polish ż ś ć ł read as ISO-8859-10 are ŋ ķ æ ģ, ę ś ć read as windows-1252 ê œ æ;
# Italian and French à ì ò ù read as windows-1250 are ŕ ě ň ů.
_MOJIBAKE = "ŋķģļņŗŧĸħ"  # not ō ū ī ė: Japanese and Baltic names write them
_FOREIGN_LETTERS = {
    "pl": "ěřčšžťďňůŭľĺŕãõñæœê" + _MOJIBAKE,
    "it": "äöüßñçãõåøæœłąęčšžŕěňůĺ" + _MOJIBAKE,
    "fr": "äößñãõåøąęłčšžřŕěňůĺ" + _MOJIBAKE,
    "de": "ñçãõåøæąęłčšžřŭŕěňůĺ" + _MOJIBAKE,
    "ru": "їєґўјљњћђџѓќѕқғүұңөһә",  # not і: pre-reform Russian writes it
}
# ... counted when they are this share of the letters or more (a few foreign names pass)
_FOREIGN_SHARE = 0.005
_FOREIGN_MIN = 3


def foreign_letters(text: str, code: str) -> str:
    """The letters in ``text`` that ``code``'s language does not use, when they are too many
    to be names (at least 3 and 0.5% of the letters); else ''."""
    foreign = _FOREIGN_LETTERS.get(code)
    if not foreign:
        return ""
    letters = [ch.lower() for ch in text if ch.isalpha()]
    found = Counter(ch for ch in letters if ch in foreign)
    count = sum(found.values())
    if count < _FOREIGN_MIN or count < _FOREIGN_SHARE * len(letters):
        return ""
    return "".join(ch for ch, _ in found.most_common())


# The letters beyond ASCII that the words of each analysed language are written with.
_ALPHABETS = {
    "pl": frozenset("ąćęłńóśźż"),
    "de": frozenset("äöüß"),
    "fr": frozenset("àâæçéèêëîïôœùûüÿ"),
    "it": frozenset("àèéìíîòóù"),
    "ru": frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
}
# Letters of the names an article in any of them may write: Latin-1's, Central Europe's,
# Romanian and Turkish, and the Cyrillic of Ukrainian and Belarusian.
_NAME_LETTERS = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœ" "ąćęłńśźż" "šžčřěůňťďőű" "ăâşţșțğı" "іїєґў"
)  # fmt: skip
# Signs that sit inside a word only in mojibake: Latin-1's (Polish ą ł ś ż in the wrong
# charset are ¹ ³ ¶ ¿, or ± ³ œ ¿), not the soft hyphen and the middle dot ("l·l"). Inside a
# word, a character beyond ASCII that is no letter, accent, punctuation or format character
# (a box-drawing or control character, the replacement character) marks mojibake too.
_SIGNS = frozenset(map(chr, range(0xA1, 0xC0))) - {"\xad", "\xb7"} | {"×", "÷"}
# What a word's edges may carry: ASCII punctuation, quotes and brackets ("«Non»", "»Nein«"),
# and signs that stand before a word ("¿Qué", "£5m") or after one ("10°", "m²", "nº",
# "Fiat®"); not those that stand for letters in another charset (± ¶ ¼ ½ ¾: "½uvre").
_EDGES = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum()) + "«»‹›"
_LEADING = _EDGES + "„“‘‚‛‟¿¡£¥¢€§"
_TRAILING = _EDGES + "”’“‘…°¹²³ºª©®™"
# Typographic punctuation beyond ASCII: an English word's only characters beyond ASCII.
_TYPOGRAPHIC = re.compile("[\u2010-\u205e«»]")
_WORD = re.compile(r"\S+")
_FIT_WORDS = 5_000  # enough to tell charsets apart; a page may hold a million words
_PLAIN = "en"  # the score of words in ASCII letters and typographic punctuation
_OTHER = ""  # the score of words in another script


def letter_fit(text: str) -> int:
    """How well the words of ``text`` that hold characters beyond ASCII read as written in
    one language, for choosing the charset of a page that names none. For an analysed
    language, a word in its letters counts 1 (for English, a word in ASCII letters with
    curly quotes, apostrophes or dashes); for the others, a word in letters of one other
    script (Greek, Arabic, Chinese...) does. A word in letters the language does not write
    counts -1 ("zaleŋnoķæ" in Polish), one that no language writes so -2 (mojibake:
    "zale¿noœæ", "ItÆs", "пРЕЗИДЕНТ", a replacement character), the rest 0 (names,
    capitals, single letters). The sum for the language it is highest for; at most 5,000
    words are read.
    """
    words = Counter(
        itertools.islice(
            (word for match in _WORD.finditer(text) if not (word := match.group()).isascii()),
            _FIT_WORDS,
        )
    )
    scores = dict.fromkeys([*_ALPHABETS, _PLAIN, _OTHER], 0)
    for word, count in words.items():
        stripped = unicodedata.normalize("NFC", word.lstrip(_LEADING).rstrip(_TRAILING))
        if not stripped:
            continue  # a dash, a quote mark, a sign on its own
        letters, scripts = _word_letters(stripped)
        if letters is None:  # no language writes it: a sign inside a word says more
            for code in scores:
                scores[code] -= 2 * count
            continue
        # a capital or a word of one letter ("й", "Ц") tells little: a sign in one charset
        # may be a letter in another
        telling = len(stripped) > 1 and not stripped.isupper()
        for code, alphabet in _ALPHABETS.items():
            if letters <= alphabet and not (code == "ru" and len(scripts) > 1):
                scores[code] += count if letters and telling else 0
            elif not letters <= _NAME_LETTERS:
                scores[code] -= count
        if not letters:
            scores[_PLAIN] += count if scripts and _TYPOGRAPHIC.search(word) else 0
        elif not letters <= _NAME_LETTERS:
            scores[_PLAIN] -= count
        if not scripts <= {"LATIN", "CYRILLIC"}:
            scores[_OTHER] += (count if telling else 0) if len(scripts) == 1 else -count
    return max(scores.values())


def _word_letters(word: str) -> tuple[frozenset[str] | None, frozenset[str]]:
    """The letters beyond ASCII of ``word`` (lower case) and the scripts of all its letters
    (``LATIN``, ``CYRILLIC``, ``GREEK``, ``CJK``...); None for the letters when the word
    reads as mojibake: a character beyond ASCII inside it that is no letter, accent,
    punctuation or format character, or a capital after a small letter where either is
    beyond ASCII ("ŁódŹ")."""
    letters: set[str] = set()
    scripts: set[str] = set()
    previous = ""
    for ch in word:
        if ch.isascii():
            if ch.isalpha():
                scripts.add("LATIN")
        elif ch.isalpha():
            letters.add(ch.lower())
            scripts.add(_script(ch))
        elif ch in _SIGNS or not unicodedata.category(ch).startswith(("M", "P", "Cf")):
            return None, frozenset()
        if ch.isupper() and previous.islower() and not (ch + previous).isascii():
            return None, frozenset()
        previous = ch
    return frozenset(letters), frozenset(scripts)


@lru_cache(maxsize=4096)
def _script(letter: str) -> str:
    """The script of a letter, the first word of its Unicode name (Japanese kana and Korean
    hangul count as CJK: they are written together)."""
    script = unicodedata.name(letter, "").partition(" ")[0]
    return "CJK" if script in ("HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH") else script


# A language given by hand is contradicted by a guess at least this sure, made on at least
# this many letters, when the paragraphs read as the given language hold less than this share
# of the letters. Calibrated on the 970 SemEval-2023 training articles (6 languages): their
# own words are read as their language every time, and of 11,638 single paragraphs of 100
# letters or more only one was read as another language with 95% or more (a Latin
# quotation, rightly). A headline or a line or two (under 100 letters) never warns: that is
# what the language is given for; nor does a text with a fifth of it in the given language.
CONTRADICTION_CONFIDENCE = 0.95
_CONTRADICTION_LETTERS = 100
_GIVEN_SHARE = 0.2


def contradicting_guess(
    paragraphs: Sequence[str], given: str, title: bool = False
) -> LanguageGuess | None:
    """A sure guess that ``paragraphs`` are not in ``given`` (an ISO code), else None.

    The guess is `detect_language` on the words language detection reads (`own_words`):
    another language, at least 95% sure, on 100 letters or more, while the paragraphs read as
    ``given`` one by one hold less than a fifth of the letters (a bilingual text is not
    contradicted by its larger half).
    """
    words = own_words(paragraphs, title)
    if sum(ch.isalpha() for ch in words) < _CONTRADICTION_LETTERS:
        return None
    guess = detect_language(words)
    if guess.code in (given, UNDETERMINED) or guess.confidence < CONTRADICTION_CONFIDENCE:
        return None
    letters = [sum(ch.isalpha() for ch in text) for text in paragraphs]
    in_given = sum(
        count
        for text, count in zip(paragraphs, letters, strict=True)
        if count and detect_language(text).code == given
    )
    return None if in_given >= _GIVEN_SHARE * sum(letters) else guess


def contradiction_message(given: str, guess: LanguageGuess, option: str = "--language") -> str:
    """One line saying that the text reads as ``guess`` though it was analysed as ``given``,
    and what to do; ``option`` is how the language was given: a command-line option
    (``--language``) or a JSON field name (``language``)."""

    def giving(code: str) -> str:
        return f"{option} {code}" if option.startswith("-") else f'"{option}": "{code}"'

    leave_out = f"leave {option} out" if option.startswith("-") else f'leave "{option}" out'
    name, given_name = language_name(guess.code), language_name(given)
    if guess.code in SUPPORTED_PARAGRAPHS:
        fix = f"give {giving(guess.code)}, or {leave_out} to detect the language"
    else:
        fix = f"propscope does not analyse {name} ({leave_out} and such a text is refused)"
    return (
        f"the text reads as {name} ({guess.code}, {guess.confidence:.0%} sure), yet was "
        f"analysed as {given_name} ({giving(given)}), so findings and speakers may be "
        f"missed; {fix}; if the text is {given_name}, ignore this"
    )


def detectable_codes() -> frozenset[str]:
    """Every code `detect_language` can return: the model's languages and ``und``."""
    codes = set(_identifier().nb_classes) - {"zxx"}  # zxx is reported as und
    return frozenset(codes | {UNDETERMINED})


def iso_code(code: str) -> str:
    """Our ISO 639-1 code for an ISO or SemEval-2023 code (``ge`` -> ``de``, ``po`` -> ``pl``)."""
    lowered = code.strip().lower()
    return _FROM_SEMEVAL.get(lowered, lowered)


def language_name(code: str) -> str:
    """English name of a language code (``ja`` -> ``Japanese``); the code if unknown."""
    if code == UNDETERMINED:
        return "an undetermined language"
    return LANGUAGE_NAMES.get(code, code)


def language_code(value: str) -> str | None:
    """The ISO code of a language someone gave ("EN", "en-GB", "en_GB": en; SemEval's "ge" and
    "po" too), None when blank (detect it); a language propscope does not analyse raises
    ``UnsupportedLanguageError``. The one rule for ``analyze(language=...)``, --language,
    batch's field and the web's."""
    value = value.strip()
    if not value:
        return None
    return require_supported(value.replace("_", "-").split("-")[0])


def require_supported(code: str, supported: Collection[str] = SUPPORTED_PARAGRAPHS) -> str:
    """Return the ISO code of ``code`` if ``supported`` covers it, else raise a clear error.

    Accepts SemEval codes too (``ge``, ``po``). The message names the language and lists what
    propscope analyses, e.g. "text is in Japanese (ja); propscope analyses English, French,
    German, Italian, Polish and Russian".
    """
    iso = iso_code(code)
    if iso in supported:
        return iso
    order = [c for c in SEMEVAL_CODE if c in supported] + sorted(set(supported) - set(SEMEVAL_CODE))
    names = [language_name(c) for c in order]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if iso == UNDETERMINED:
        raise UnsupportedLanguageError(
            f"cannot tell which language the text is in; propscope analyses {listed}"
        )
    raise UnsupportedLanguageError(
        f"text is in {language_name(iso)} ({iso}); propscope analyses {listed}"
    )


def given_language_contradicted(analysis: Analysis) -> LanguageGuess | None:
    """The sure detection that contradicts the language the caller gave, if any (see
    `analysis.given_language_warning`); ``analysis`` is a `propscope.schema.Analysis`."""
    language = analysis.language
    if language is None or not language.given:
        return None
    kept = [p for p in analysis.paragraphs if not p.is_debris]
    paragraphs = [analysis.text[p.start : p.end] for p in kept]
    if not "".join(paragraphs).strip():
        paragraphs, kept = [analysis.text], []
    return contradicting_guess(paragraphs, language.code, title=bool(kept) and kept[0].is_title)
