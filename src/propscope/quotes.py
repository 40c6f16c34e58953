"""Quotation and speaker attribution: who speaks each part of an article.

A persuasion technique inside the quote of an official is the official's, not the journalist's.
This module finds direct quotes (text between quote marks), reported speech ("X said that ...",
"..., X told Trend.") and attributed headlines ("... – Azerbaijani official"), and names the
speaker of each, so that :func:`attribute` can tell whose voice a technique span is in.

It is regex-based and stdlib-only, so it runs on every article without a model (a few
milliseconds for 5,000 characters). Where a construction is ambiguous it prefers precision: a
sentence without a speech verb stays in the author's voice.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

__all__ = ["Quote", "Voice", "attribute", "find_quotes"]

# "author" is the voice of everything outside the quotes; find_quotes returns only the others.
Voice = Literal["author", "quoted", "reported"]


@dataclass(frozen=True)
class Quote:
    """A stretch of the text spoken by someone other than the author.

    ``start``/``end`` are offsets into the text exactly as given. For a direct quote they
    cover the content between the quote marks (marks and surrounding whitespace excluded; a
    quote spread over several paragraphs gives one ``Quote`` per paragraph, all with the same
    speaker). For reported speech they cover the reported clause, without the attribution and
    the final punctuation.
    ``speaker`` is a name or description as written in the text; pronouns ("he") and
    descriptions of a person ("the official") are resolved to the named speaker they refer
    to. When ``speaker`` is set, ``text[speaker_start:speaker_end] == speaker``: the offsets
    point at the mention the name was taken from (the antecedent for a resolved pronoun).
    """

    start: int
    end: int
    voice: Voice
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None


# --------------------------------------------------------------------------------------------
# Vocabulary. Kept as plain word lists so that a reader can extend them.

_UPPER = "[" + "".join(re.escape(chr(c)) for c in range(0x41, 0x2000) if chr(c).isupper()) + "]"

_VERB_WORDS = """
    said says say told tells added adds stressed stresses noted notes insisted insists warned
    warns claimed claims wrote writes tweeted tweets argued argues explained explains stated
    states continued continues asked asks concluded concludes emphasized emphasizes emphasised
    emphasises underlined underlines underscored underscores declared declares announced
    announces replied replies responded responds remarked remarks commented comments observed
    observes suggested suggests admitted admits acknowledged acknowledges alleged alleges
    maintained maintains urged urges recalled recalls reiterated reiterates highlighted
    highlights mentioned mentions affirmed affirms confirmed confirms denied denies complained
    complains cautioned cautions predicted predicts posted shouted recounted answered
    conceded concedes proclaimed proclaims assured assures boasted charged note warn claim
    argue stress insist add write explain suggest admit allege maintain urge recall tell
    complain predict confirm deny
""".split()
_VERBS = (
    r"(?:(?:was |is |were )?quoted as saying|pointed out|points out|went on|goes on|"
    + "|".join(sorted(_VERB_WORDS, key=len, reverse=True))
    + ")"
)
_PARTICIPLES = (
    r"(?:adding|saying|noting|stressing|insisting|warning|claiming|arguing|explaining|"
    r"emphasi[sz]ing|stating|pointing out|recalling|underlining|underscoring|reiterating|"
    r"alleging|accusing)"
)
# Words one of which every speech pattern needs: a cheap test before the regexes.
_CUE_WORDS = set(_VERB_WORDS) | set(
    """
    pointed points went goes quoted according adding saying noting stressing insisting warning
    claiming arguing explaining emphasising emphasizing stating pointing recalling underlining
    underscoring reiterating alleging accusing
    """.split()
)
_AUX_WORDS = {"has", "have", "had", "also", "then", "later", "further", "again", "once"}
_AUX_WORDS |= {"reportedly", "previously", "earlier", "recently"}
_AUX = (
    r"(?:has|have|had|also|then|later|further|again|once again|reportedly|previously|"
    r"earlier|recently)"
)
# Roles that name one person, so "the official" can refer back to a named speaker.
_PERSON_ROLES = """
    official minister spokesperson spokesman spokeswoman president ambassador diplomat envoy
    leader chief head adviser advisor aide assistant representative senator lawmaker commander
    general prosecutor mayor governor chairman chairwoman chair director secretary premier
    ombudsman deputy politician chancellor mp fm pm
""".split()
# Roles that do not refer back to the last named person.
_OTHER_ROLES = """
    officials ministers spokespeople diplomats leaders source sources statement report reports
    ministry government agency organization organisation group witness witnesses resident
    residents analyst analysts expert experts observer observers critic critics activist
    activists authorities police military army office embassy newspaper paper website channel
    lawyer lawyers doctor doctors man woman people
""".split()
_SUBJECT_ENDS = {"he", "she", "they"} | set(_PERSON_ROLES) | set(_OTHER_ROLES)
_ROLES = "|".join(sorted(_PERSON_ROLES + _OTHER_ROLES, key=len, reverse=True))
_FUNCTION = (
    r"(?i:and|or|but|that|which|who|whom|whose|in|on|at|of|to|for|with|by|from|as|is|was|are|"
    r"were|be|been|has|have|had|not|it|he|she|they|we|i|you|said|says|told)"
)
# Capitalised words that start sentences or name dates, never a speaker's name.
_STOP_CAPS = set(
    """
    The A An This That These Those It He She They We I You His Her Their Its Our My But And Or
    So Yet Then Later Meanwhile However Earlier Also In On At As When While After Before Today
    Yesterday Tomorrow Speaking According Asked Still Now Here There Moreover Furthermore Thus
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December
    """.split()
)
# Words of a title rather than a name ("WHO Director-General Tedros ..." -> "Tedros ...").
_TITLE_WORDS = set(
    """
    president vice minister prime foreign deputy assistant head department administration
    director general secretary spokesperson spokesman spokeswoman chairman chairwoman chair
    chief ambassador envoy senator sen rep representative governor gov mayor commander colonel
    col lt lieutenant captain capt major sergeant sgt admiral marshal king queen prince
    princess pope bishop archbishop rev reverend sheikh dr mr mrs ms miss prof professor judge
    justice attorney adviser advisor aide officer official leader member mp speaker ombudsman
    premier chancellor policy presidential ministry office council committee affairs defence
    defense interior state press service executive ceo founder co-founder editor correspondent
    analyst expert researcher inspector superintendent sheriff agent presidency parliament
    parliamentary national security
    """.split()
)
# Lower-case particles inside names (Ursula von der Leyen, Charles de Gaulle).
_PARTICLES = "de del della da di dos du la le van von der ter ten bin ibn al el".split()
_CONN = rf"(?:of|the|for|and|to|{'|'.join(_PARTICLES)}|-|–|—)"
_TOKEN = rf"(?:(?:{_UPPER}\.){{2,}}|{_UPPER}\w{{0,2}}\.(?=\s+{_UPPER})|{_UPPER}\w*(?:[’'\-]\w+)*)"
_RUN = rf"(?:(?:{'|'.join(_PARTICLES)})\s+){{0,2}}{_TOKEN}(?:\s+(?:{_CONN}\s+)*{_TOKEN})*"
_ADJ = rf"(?!{_FUNCTION}\b)[^\W\d_][\w’'\-]*"
_DESC = (
    rf"(?:(?i:the|a|an|another|one|this|its|his|her|their)\s+)?(?:{_ADJ}\s+){{0,3}}?"
    rf"(?i:{_ROLES})\b(?:\s+(?i:of|for|at|from|in)\s+(?:(?i:the)\s+)?{_ADJ}(?:\s+{_ADJ}){{0,2}})?"
)
_PRON = r"(?i:he|she|they)\b"
_DESC_NOT_TITLE = rf"{_DESC}(?!\s+{_TOKEN})"  # "said the official", not "said President X"
_SPK = rf"(?<![\w’'\-])(?:{_PRON}|{_DESC}|{_RUN})"
_APPOS = r"(?:\s*,[^,\"“”«»]{1,80},)?"
_OBJ = r"(?!\s+(?i:nothing|little|no|none)\b)(?:\s+[^\s,;:!?\"“”«».]+){0,8}?"

# "..." X said / said X / according to X -- matched right after a closing quote mark.
_POST = re.compile(
    rf"\s*[,;]?\s*[-–—]?\s*(?:(?i:according to)\s+(?P<a>{_SPK})"
    rf"|(?:{_VERBS})\s+(?P<b>{_DESC_NOT_TITLE}|{_RUN})"
    rf"|(?P<c>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b)"
)
# X said: "..." / X told Y, "..." / According to X, "..." -- text ending at an opening mark.
_PRE = re.compile(
    rf"(?:(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b{_OBJ}(?:,\s+{_PARTICIPLES})?"
    rf"|(?i:according to)\s+(?P<b>{_SPK}))\s*[:,]?\s*(?:that\s*)?$"
)
# CLAUSE, X told Trend. / CLAUSE, said X. / CLAUSE, according to X.
_TAIL = re.compile(
    rf",\s*(?:(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b{_OBJ}"
    rf"|(?:{_VERBS})\s+(?P<b>{_DESC_NOT_TITLE}|{_RUN})(?:\s*,[^,]{{1,80}})?"
    rf"|(?i:according to)\s+(?P<c>{_SPK})(?:\s*,[^,]{{1,80}})?)"
    r"\s*[.!?…]*[\s\"”’»)]*$"
)
# According to X, CLAUSE.
_HEAD = re.compile(rf"\s*(?i:according to)\s+(?P<a>{_SPK}),\s*")
# X stressed (to Y) that CLAUSE. / ..., adding that CLAUSE.
_THAT = re.compile(
    rf"(?<![\w-])(?P<verb>{_VERBS}|{_PARTICIPLES})\b(?:\s+(?!that\b)[^\s,;:!?\"“”«».]+){{0,6}}?"
    r"\s*,?\s+that\s+"
)
# X said CLAUSE. (no "that"; only verbs that introduce a clause) / X said: CLAUSE.
_BARE_WORDS = "said says say claimed claims insisted insists argued argues alleged alleges".split()
_NOT_A_CLAUSE = (
    r"(?i:that|in|on|at|during|to|after|before|while|when|of|for|with|by|from|so|as|this|"
    r"yesterday|today|earlier|later|nothing|something|goodbye|hello|yes|no|it all)"
)
_BARE = re.compile(
    rf"(?<![\w-])(?P<verb>{'|'.join(_BARE_WORDS)})\s+(?!{_NOT_A_CLAUSE}\b)(?=[^\W\d_])"
)
_COLON = re.compile(rf"(?<![\w-])(?P<verb>{_VERBS})\s*:\s+(?=[^\W\d_])")
# CLAUSE, X said, CLAUSE.
_PAREN = re.compile(rf",\s*(?P<a>{_SPK})\s+(?:{_AUX}\s+)*(?:{_VERBS})\b\s*,\s+")
# The subject right before a speech verb (the text must end where the verb starts).
_SUBJECT = re.compile(rf"(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*$")
_SUBJECT_VERB = re.compile(rf"(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b")
_ROLE_WORD = re.compile(rf"\b(?i:{_ROLES})\b")
_PRON_FULL = re.compile(_PRON)
_DESC_FULL = re.compile(_DESC)
_RUN_FULL = re.compile(_RUN)
_CONN_FULL = re.compile(_CONN)
_PARTICIPLE_FULL = re.compile(_PARTICIPLES)
_SPEECH_TAIL = re.compile(rf"\s+(?:{_VERBS}|warns|slams|urges)$")

_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s|$)")
_ABBREVIATIONS = set(
    """
    mr mrs ms dr prof st gen lt col sgt capt maj adm gov sen rep jr sr inc ltd co corp vs etc
    no fig mt ft jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.g i.e a.m p.m
    """.split()
)
_LINE = re.compile(r"[^\r\n]+")
_WORD = re.compile(r"[^\W\d_][\w’'\-]*")

_DOUBLE = '"“”„«»'
_SINGLE = "'‘’‹›"
_QUOTE_MARKS = _DOUBLE + _SINGLE
_MARK = re.compile(f"[{_QUOTE_MARKS}]")
_OPEN_GLYPHS = "“„«‘‹"
_OPEN_PUNCT = "([{—–-/:" + _QUOTE_MARKS
_CLOSE_PUNCT = ".,;:!?)]}—–-…" + _QUOTE_MARKS
_STRONG_BEFORE = ".,;:!?…—-"
_MAX_DEPTH = 3


# --------------------------------------------------------------------------------------------
# Internal records.


@dataclass
class _Mention:
    kind: Literal["name", "pronoun", "description"]
    start: int
    end: int
    text: str
    title: str = ""  # the words of the title before a name ("Foreign Minister")


@dataclass
class _Utterance:
    voice: Voice
    spans: list[tuple[int, int]]
    para: int
    last_para: int
    mention: _Mention | None
    scope: tuple[int, int] = (0, 0)  # sentence range a reported clause came from
    headline: bool = False
    standalone: bool = True  # a quote that starts its sentence (not a phrase quoted mid-sentence)
    speaker: _Mention | None = None
    resolved: bool = False
    anchor: int = field(init=False)

    def __post_init__(self) -> None:
        self.anchor = self.spans[0][0]


@dataclass
class _Piece:
    open: int  # position of the opening mark (-1 for a quote whose opener was lost)
    close: int | None  # position of the closing mark; None when it runs to the paragraph end
    start: int
    end: int


# --------------------------------------------------------------------------------------------
# Public API.


def find_quotes(text: str) -> list[Quote]:
    """Find direct quotes and reported speech in ``text`` and attribute them to speakers.

    Returns the quotes sorted by ``start``; no two overlap. Everything outside them is the
    author's voice.
    """
    paragraphs = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    if not paragraphs:
        return []
    groups = _direct_quotes(text, paragraphs)
    regions = _quote_regions(groups)
    sentences = [_sentences(text, s, e) for s, e in paragraphs]

    utterances = [_quote_utterance(text, g, paragraphs, sentences) for g in groups]
    reported = _reported(text, sentences, regions)
    headline = _headline(text, paragraphs, regions, utterances + reported)
    if headline:
        reported = [r for r in reported if r.para > 0]
    _adopt_container_speaker(utterances, reported + ([headline] if headline else []))

    everything = sorted(utterances + reported, key=lambda u: u.anchor)
    _resolve(everything)
    if headline:
        _resolve_headline(headline, everything)
        everything.insert(0, headline)
    _inherit(everything)
    quotes = [
        Quote(
            start,
            end,
            u.voice,
            u.speaker.text if u.speaker else None,
            u.speaker.start if u.speaker else None,
            u.speaker.end if u.speaker else None,
        )
        for u in everything
        for start, end in u.spans
    ]
    return sorted(quotes, key=lambda q: q.start)


def attribute(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """Return the quote or reported clause holding most of ``text[start:end]``, else None.

    None means the span is in the author's voice. "Most" is more than half of the span's
    characters, so a span that only touches a quote stays the author's.
    """
    best, best_overlap = None, 0
    for quote in quotes:
        if quote.start >= max(end, start + 1):
            break
        if start == end:
            if quote.start <= start < quote.end:
                return quote
            continue
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    if best is not None and 2 * best_overlap > end - start:
        return best
    return None


# --------------------------------------------------------------------------------------------
# Direct quotes: quote marks, paired paragraph by paragraph.


def _role(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for the quote mark at ``i``, judged by its neighbours."""
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    left = (
        nxt is not None
        and not nxt.isspace()
        and (prev is None or prev.isspace() or prev in _OPEN_PUNCT)
    )
    right = (
        prev is not None
        and not prev.isspace()
        and (nxt is None or nxt.isspace() or nxt in _CLOSE_PUNCT)
    )
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    if text[i] in _OPEN_GLYPHS:
        return "open"
    if text[i] in "”»’›":
        return "close"
    return "either"


def _is_apostrophe(text: str, i: int, lo: int, hi: int) -> bool:
    """True for ’ or ' inside a word (don’t, Armenia’s, O'Neill)."""
    return lo < i < hi - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _marks(text: str, lo: int, hi: int) -> list[tuple[int, str, str]]:
    """Quote marks of a paragraph as (position, family, role); apostrophes left out."""
    marks = []
    for match in _MARK.finditer(text, lo, hi):
        i = match.start()
        if text[i] in _DOUBLE:
            marks.append((i, "double", _role(text, i, lo, hi)))
        elif not _is_apostrophe(text, i, lo, hi):
            marks.append((i, "single", _role(text, i, lo, hi)))
    return marks


def _strong_close(text: str, i: int, hi: int) -> bool:
    """A closing single mark that cannot be a plural possessive (Armenians’ rights)."""
    nxt = text[i + 1] if i + 1 < hi else None
    return text[i - 1] in _STRONG_BEFORE or nxt is None or nxt in _CLOSE_PUNCT


def _direct_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[list[_Piece]]:
    """Pair quote marks into quotes; a quote continued over paragraphs is one group."""
    groups: list[list[_Piece]] = []
    carry: list[_Piece] | None = None  # group continued from the previous paragraph
    carry_family = ""
    for index, (lo, hi) in enumerate(paragraphs):
        marks = _marks(text, lo, hi)
        stack: list[tuple[str, int]] = []
        current = carry
        if carry is not None:
            # The continuation paragraph starts with an opening mark of the same family.
            stack.append((carry_family, marks[0][0]))
            marks = marks[1:]
        carry = None
        nested_closes: list[int] = []
        strong_single_later = [False] * (len(marks) + 1)
        for k in range(len(marks) - 1, -1, -1):
            pos, family, role = marks[k]
            strong = family == "single" and role != "open" and _strong_close(text, pos, hi)
            strong_single_later[k] = strong_single_later[k + 1] or strong
        for k, (pos, family, role) in enumerate(marks):
            if not stack:
                if family == "double" and (
                    role == "open" or (role == "either" and _later(marks, k, "double"))
                ):
                    stack.append((family, pos))
                elif family == "single" and role == "open" and text[pos] != "’":
                    # A straight ' opens a quote only before a clear closing mark: rock 'n' roll.
                    if strong_single_later[k + 1] or (
                        text[pos] != "'" and _later(marks, k, "single", closing=True)
                    ):
                        stack.append((family, pos))
                elif family == "double" and role == "close" and not _started_in(groups, lo):
                    # The opening mark was lost: keep it only when an attribution follows.
                    if _attribution_ok(text, pos + 1, hi):
                        piece = _make_piece(text, -1, pos, lo, pos)
                        if piece:
                            groups.append([piece])
                continue
            top_pos = stack[-1][1]
            if family != stack[0][0]:
                continue  # inner quotes of the other family do not affect the outer one
            if role == "open" and len(stack) < _MAX_DEPTH:
                stack.append((family, pos))
                continue
            if family == "single" and role != "open" and not _strong_close(text, pos, hi):
                if strong_single_later[k + 1]:
                    continue  # a possessive; a stronger closing mark comes later
            stack.pop()
            if stack:
                nested_closes.append(pos)
                continue
            piece = _make_piece(text, top_pos, pos, top_pos + 1, pos)
            group = (current or []) + ([piece] if piece else [])
            current = None
            if group:
                groups.append(group)
        if not stack:
            continue
        family, open_pos = stack[0]
        nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if nxt is not None and _starts_with_opener(text, nxt, family):
            piece = _make_piece(text, open_pos, None, open_pos + 1, hi)
            carry = (current or []) + ([piece] if piece else [])
            carry_family = family
            continue
        close = next(
            (c for c in reversed(nested_closes) if _attribution_ok(text, c + 1, hi)),
            None,
        )
        piece = _make_piece(text, open_pos, close, open_pos + 1, hi if close is None else close)
        group = (current or []) + ([piece] if piece else [])
        if group:
            groups.append(group)
    return sorted(groups, key=lambda g: g[0].start)


def _started_in(groups: list[list[_Piece]], lo: int) -> bool:
    """True when a quote already started in the paragraph beginning at ``lo``."""
    return bool(groups) and groups[-1][-1].start >= lo


def _later(marks: list[tuple[int, str, str]], k: int, family: str, closing: bool = False) -> bool:
    """True when a mark of ``family`` (a closing one, if asked) follows mark ``k``."""
    return any(f == family and (not closing or r != "open") for _, f, r in marks[k + 1 :])


def _attribution_ok(text: str, pos: int, hi: int) -> bool:
    """True when the text after a closing mark attributes the quote ("..., Hajiyev said")."""
    match = _POST.match(text, pos, hi)
    if not match:
        return False
    group = next(g for g in ("a", "b", "c") if match.group(g) is not None)
    return _mention(text, match.start(group), match.end(group)) is not None


def _starts_with_opener(text: str, paragraph: tuple[int, int], family: str) -> bool:
    lo, hi = paragraph
    while lo < hi and text[lo].isspace():
        lo += 1
    if lo >= hi:
        return False
    ch = text[lo]
    chars = _DOUBLE if family == "double" else _SINGLE
    return ch in chars and ch not in "”»’›" and _role(text, lo, lo, hi) != "close"


def _make_piece(text: str, open_: int, close: int | None, start: int, end: int) -> _Piece | None:
    start, end = _strip(text, start, end)
    if start >= end:
        return None
    return _Piece(open_, close, start, end)


def _strip(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def _quote_regions(groups: list[list[_Piece]]) -> list[tuple[int, int]]:
    """Ranges covered by direct quotes, marks included, sorted."""
    regions = []
    for group in groups:
        for piece in group:
            lo = piece.open if piece.open >= 0 else piece.start
            hi = piece.close + 1 if piece.close is not None else piece.end
            regions.append((lo, hi))
    return sorted(regions)


def _region_at(regions: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The quote region holding ``pos`` (regions are sorted and do not overlap)."""
    index = bisect_right(regions, (pos, float("inf"))) - 1
    if index >= 0 and regions[index][0] <= pos < regions[index][1]:
        return regions[index]
    return None


def _inside(regions: list[tuple[int, int]], pos: int) -> bool:
    return _region_at(regions, pos) is not None


# --------------------------------------------------------------------------------------------
# Sentences and speakers.


def _sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Sentence ranges of a paragraph: a stop before a capital, digit or opening mark."""
    sentences, start = [], lo
    for match in _SENTENCE_END.finditer(text, lo, hi):
        end = match.end()
        nxt = end
        while nxt < hi and text[nxt].isspace():
            nxt += 1
        if nxt < hi:
            ch = text[nxt]
            if not (ch.isupper() or ch.isdigit() or ch in _OPEN_PUNCT):
                continue
        if text[match.start()] == "." and _abbreviation(text, lo, match.start()):
            continue
        sentences.append(_strip(text, start, end))
        start = end
    if start < hi and text[start:hi].strip():
        sentences.append(_strip(text, start, hi))
    return sentences


def _abbreviation(text: str, lo: int, dot: int) -> bool:
    i = dot
    while i > lo and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot]
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def _mention(text: str, start: int, end: int) -> _Mention | None:
    """Classify a speaker expression; names keep only their name part, titles dropped."""
    span = text[start:end]
    if _PRON_FULL.fullmatch(span):
        return _Mention("pronoun", start, end, span)
    if _DESC_FULL.fullmatch(span):
        return _Mention("description", start, end, span)
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", span)]
    while tokens and (
        text[tokens[0][0] : tokens[0][1]] in _STOP_CAPS
        or text[tokens[0][0] : tokens[0][1]] in ("of", "the", "for", "and", "to", "-", "–", "—")
    ):
        tokens.pop(0)
    if not tokens:
        return None
    name: list[tuple[int, int]] = []
    for s, e in reversed(tokens):
        word = text[s:e]
        parts = word.rstrip(".").lower().split("-")
        if name and word in _PARTICLES:
            name.insert(0, (s, e))
            continue
        if (
            not word[0].isupper()
            or word in _STOP_CAPS
            or (len(word) > 1 and word.isupper())
            or (name and (word.rstrip(".").lower() in _TITLE_WORDS or parts[0] in _TITLE_WORDS))
        ):
            break
        name.insert(0, (s, e))
    while name and text[name[0][0] : name[0][1]] in _PARTICLES and len(name) < len(tokens):
        name.pop(0)  # "Director de Smith": a particle after a title word belongs to the title
    title = tokens[: len(tokens) - len(name)]
    title_words = [t for t in title if not _CONN_FULL.fullmatch(text[t[0] : t[1]])]
    if name and (len(name) >= 2 or len(title_words) >= 2):
        last_title = " ".join(text[s:e] for s, e in title_words[-2:])
        return _Mention("name", name[0][0], name[-1][1], text[name[0][0] : name[-1][1]], last_title)
    return _Mention("name", tokens[0][0], tokens[-1][1], text[tokens[0][0] : tokens[-1][1]])


def _match_mention(text: str, match: re.Match[str] | None) -> _Mention | None:
    if match is None:
        return None
    for name, value in match.groupdict().items():
        if value is not None and name in ("a", "b", "c"):
            return _mention(text, match.start(name), match.end(name))
    return None


def _quote_utterance(
    text: str,
    group: list[_Piece],
    paragraphs: list[tuple[int, int]],
    sentences: list[list[tuple[int, int]]],
) -> _Utterance:
    """A direct quote with the speaker named right after or right before it."""
    first, last = group[0], group[-1]
    para = _paragraph_index(paragraphs, first.start)
    last_para = _paragraph_index(paragraphs, last.start)
    mention = None
    sentence_start = paragraphs[para][0]
    index = bisect_right(sentences[para], (first.open, float("inf"))) - 1
    if first.open >= 0 and index >= 0:
        sentence_start = max(sentences[para][index][0], sentence_start)
    standalone = first.open < 0 or not text[sentence_start : first.open].strip()
    for piece in reversed(group):
        if piece.close is not None:
            hi = paragraphs[_paragraph_index(paragraphs, piece.close)][1]
            mention = _match_mention(text, _POST.match(text, piece.close + 1, hi))
            break
    if mention is None and first.open >= 0:
        start = max(sentence_start, first.open - 250)
        if not _CUE_WORDS.isdisjoint(w.lower() for w in _WORD.findall(text, start, first.open)):
            mention = _match_mention(text, _PRE.search(text, start, first.open))
    spans = [(p.start, p.end) for p in group]
    return _Utterance("quoted", spans, para, last_para, mention, standalone=standalone)


def _paragraph_index(paragraphs: list[tuple[int, int]], pos: int) -> int:
    return max(bisect_right(paragraphs, (pos, float("inf"))) - 1, 0)


# --------------------------------------------------------------------------------------------
# Reported speech.


def _reported(
    text: str,
    sentences: list[list[tuple[int, int]]],
    regions: list[tuple[int, int]],
) -> list[_Utterance]:
    """Reported clauses of sentences in the author's voice, one utterance per sentence."""
    found = []
    for index, paragraph_sentences in enumerate(sentences):
        for s, e in paragraph_sentences:
            region = _region_at(regions, s)
            if region is not None and e <= region[1]:
                continue  # the whole sentence is inside a direct quote
            item = _reported_sentence(text, s, e, regions)
            if item is not None:
                spans, mention = item
                found.append(_Utterance("reported", spans, index, index, mention, (s, e)))
    return found


def _reported_sentence(
    text: str, s: int, e: int, regions: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], _Mention | None] | None:
    """The reported clause(s) of one sentence and who reports them, if any."""
    words = {word.lower() for word in _WORD.findall(text, s, e)}
    if _CUE_WORDS.isdisjoint(words):
        return None
    has_comma = text.find(",", s, e) >= 0
    end = e
    while end > s and text[end - 1] in '.!?…"”’») \t\u00a0':
        end -= 1

    match = _HEAD.match(text, s, e) if "according" in words else None
    if match and not _inside(regions, match.start("a")):
        spans = _clause(text, [(match.end(), end)], regions)
        mention = _match_mention(text, match)
        if spans and mention:
            return spans, mention

    match = _TAIL.search(text, s, e) if has_comma else None
    if match and not _inside(regions, match.start()):
        spans = _clause(text, [(s, match.start())], regions)
        mention = _match_mention(text, match)
        if spans and mention:
            return spans, mention

    for match in _THAT.finditer(text, s, e) if "that" in words else ():
        if _inside(regions, match.start()):
            continue
        verb_start = match.start("verb")
        mention = None
        participle = _PARTICIPLE_FULL.fullmatch(match.group("verb"))
        if participle:
            subjects = list(_SUBJECT_VERB.finditer(text, s, verb_start))
            subjects = [m for m in subjects if not _inside(regions, m.start())]
            if subjects:
                mention = _match_mention(text, subjects[-1])
        else:
            mention = _subject(text, s, verb_start)
            if mention is None:
                continue
        ranges = [(match.end(), end)]
        for extra in _THAT.finditer(text, match.end(), end):
            if _PARTICIPLE_FULL.fullmatch(extra.group("verb")):  # "..., adding that ..."
                ranges[-1:] = [(ranges[-1][0], extra.start()), (extra.end(), end)]
        spans = _clause(text, ranges, regions)
        if spans:
            return spans, mention

    bare = _BARE.finditer(text, s, e) if not words.isdisjoint(_BARE_WORDS) else ()
    colon = _COLON.finditer(text, s, e) if text.find(":", s, e) >= 0 else ()
    for match in chain(colon, bare):
        if _inside(regions, match.start()):
            continue
        verb_start = match.start("verb")
        mention = _subject(text, s, verb_start)
        if mention is None:
            continue
        spans = _clause(text, [(match.end(), end)], regions)
        if spans and len(_WORD.findall(text, spans[0][0], spans[-1][1])) >= 3:
            return spans, mention

    match = _PAREN.search(text, s, e) if has_comma else None
    if match and not _inside(regions, match.start()):
        spans = _clause(text, [(s, match.start()), (match.end(), end)], regions)
        mention = _match_mention(text, match)
        if len(spans) >= 2 and mention:
            return spans, mention
    return None


def _subject(text: str, lo: int, verb_start: int) -> _Mention | None:
    """The speaker right before a speech verb ("The official stressed"), if there is one."""
    words = text[max(lo, verb_start - 40) : verb_start].split()
    while words and words[-1].lower() in _AUX_WORDS:
        words.pop()
    if not words:
        return None
    last = words[-1]
    if not (last[0].isupper() or last.endswith(",") or last.lower() in _SUBJECT_ENDS):
        return None  # cheap test: a subject ends in a name, pronoun, role or appositive
    return _match_mention(text, _SUBJECT.search(text, max(lo, verb_start - 250), verb_start))


def _clause(
    text: str, ranges: list[tuple[int, int]], regions: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of ``ranges`` outside direct quotes, trimmed; empty if nothing is said."""
    pieces = []
    for lo, hi in ranges:
        cuts = [(a, b) for a, b in regions if a < hi and b > lo]
        cursor = lo
        for a, b in cuts + [(hi, hi)]:
            start, end = _strip(text, cursor, min(a, hi), " ,;:-–—")
            if start < end and _WORD.search(text, start, end):
                pieces.append((start, end))
            cursor = max(cursor, b)
    return pieces


def _adopt_container_speaker(quotes: list[_Utterance], containers: list[_Utterance]) -> None:
    """A direct quote inside a reported clause ("X said that the army "...") is X's."""
    for quote in quotes:
        if quote.mention is not None:
            continue
        for container in containers:
            lo, hi = container.scope
            if container.mention is not None and lo <= quote.anchor < hi:
                quote.mention = container.mention
                break


# --------------------------------------------------------------------------------------------
# Headline attribution.


def _headline(
    text: str,
    paragraphs: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    utterances: list[_Utterance],
) -> _Utterance | None:
    """A title such as "... – Azerbaijani official" or "Hajiyev: ..." is reported speech."""
    if len(paragraphs) < 2:
        return None
    lo, hi = _strip(text, *paragraphs[0])
    title = text[lo:hi]
    known = {m.text.split()[-1] for u in utterances if (m := u.mention) and m.kind == "name"}
    dash = max(title.rfind(f" {d} ") for d in "-–—")
    if dash > 0:
        speaker_start, speaker_end = _strip(text, lo + dash + 3, hi)
        verb = _SPEECH_TAIL.search(text, speaker_start, speaker_end)
        if verb:
            speaker_end = verb.start()
        mention = _headline_speaker(text, speaker_start, speaker_end, known, bool(verb))
        if mention:
            spans = _clause(text, [(lo, lo + dash)], regions)
            if spans:
                return _Utterance("reported", spans, 0, 0, mention, (lo, hi), headline=True)
    colon = title.find(": ")
    if 0 < colon <= 60:
        mention = _headline_speaker(text, lo, lo + colon, known, False)
        if mention:
            spans = _clause(text, [(lo + colon + 1, hi)], regions)
            if spans:
                return _Utterance("reported", spans, 0, 0, mention, (lo, hi), headline=True)
    return None


def _headline_speaker(
    text: str, start: int, end: int, known: set[str], has_verb: bool
) -> _Mention | None:
    span = text[start:end]
    if not span or len(span.split()) > 6:
        return None
    if _DESC_FULL.fullmatch(span):
        return _Mention("description", start, end, span)
    if _RUN_FULL.fullmatch(span):
        mention = _mention(text, start, end)
        if mention and (has_verb or mention.text.split()[-1] in known):
            return mention
    return None


# --------------------------------------------------------------------------------------------
# Resolution of pronouns and descriptions; speakers of unattributed quote paragraphs.


def _resolve(utterances: list[_Utterance]) -> None:
    """Resolve each mention to the most recent fitting named speaker before it."""
    named: list[_Mention] = []
    for u in sorted(
        (u for u in utterances if u.mention is not None), key=lambda u: u.mention.start
    ):
        mention = u.mention
        u.resolved = True
        if mention.kind == "name":
            u.speaker = mention
            named.append(mention)
        elif mention.kind == "pronoun":
            u.speaker = named[-1] if named else None
        else:
            u.speaker = _antecedent(mention, named) or mention


def _antecedent(mention: _Mention, named: list[_Mention]) -> _Mention | None:
    role = _role_of(mention)
    if role not in _PERSON_ROLES or not named:
        return None
    for candidate in reversed(named):
        if role in candidate.title.lower():
            return candidate
    return named[-1]


def _role_of(mention: _Mention) -> str:
    """The role noun of a description: "the spokesperson for the ministry" -> spokesperson."""
    match = _ROLE_WORD.search(mention.text)
    return match.group().lower() if match else ""


def _resolve_headline(headline: _Utterance, utterances: list[_Utterance]) -> None:
    """A headline description ("Azerbaijani official") is the article's main named speaker."""
    mention = headline.mention
    headline.resolved = True
    if mention is None or mention.kind == "name":
        headline.speaker = mention
        return
    named = [u.speaker for u in utterances if u.speaker and u.speaker.kind == "name"]
    if _role_of(mention) not in _PERSON_ROLES or not named:
        headline.speaker = mention
        return
    counts = Counter(m.text.split()[-1] for m in named)
    top = counts.most_common(1)[0][0]
    candidates = [m for m in named if m.text.split()[-1] == top]
    headline.speaker = max(candidates, key=lambda m: (len(m.text), -m.start))


def _inherit(utterances: list[_Utterance]) -> None:
    """Unattributed quotes take the speaker of the neighbouring utterance.

    News style continues a speaker's quote in the next paragraph without repeating the
    attribution, so the previous utterance in the same or the adjacent paragraph speaks it;
    failing that, the next one (an attribution that comes a paragraph later). A phrase
    quoted mid-sentence ("the so-called "experts"") inherits nothing: it may be the author's.
    """
    for u, prev in zip(utterances[1:], utterances, strict=False):
        if _may_inherit(u) and prev.speaker is not None and u.para - prev.last_para <= 1:
            u.speaker, u.resolved = prev.speaker, True
    for u, nxt in zip(reversed(utterances[:-1]), reversed(utterances[1:]), strict=False):
        if (
            _may_inherit(u)
            and nxt.voice == "quoted"
            and nxt.speaker is not None
            and nxt.para - u.last_para <= 1
        ):
            u.speaker, u.resolved = nxt.speaker, True


def _may_inherit(u: _Utterance) -> bool:
    return not u.resolved and u.standalone
