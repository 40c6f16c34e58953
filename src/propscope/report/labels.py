"""Words the reports use for findings, frames and genres: one wording for the terminal, the
HTML report, the web pages and the explanation in the JSON.

**Confidence.** A finding's ``confidence`` is the calibrated probability that the words
really use that technique (they overlap a gold span of the same technique): the model's raw
score (detection x technique probability) mapped to the share of such findings that were
right on held-out articles (README, "Confidence"). It is not the product of the detection
and technique probabilities, which the reports show beside it as the model's raw scores.

**Possible findings.** Below :data:`TENTATIVE_BELOW` (50%) the calibrated estimate says a
finding is more likely wrong than right, so every report words it as a possibility: the
word "possible" beside the confidence and an explanation that says the model is unsure and
describes what the technique does in general instead of saying that these words do it. 50%
needs no tuned number: it is where "more likely right" turns into "more likely wrong".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from propscope import taxonomy
from propscope.schema import TechniqueSpan

__all__ = [
    "CONFIDENCE_NOTE",
    "TENTATIVE_BELOW",
    "TENTATIVE_NOTE",
    "TENTATIVE_WORD",
    "explanation",
    "frame_definition",
    "frame_label",
    "frames_text",
    "genre_definition",
    "plural",
    "tentative",
    "voice_reading",
]

TENTATIVE_BELOW = 0.5
TENTATIVE_WORD = "possible"

CONFIDENCE_NOTE = (
    "Confidence is the estimated chance that the words really use this technique, "
    "calibrated on held-out articles: of findings shown at 30%, about 3 in 10 are right."
)
TENTATIVE_NOTE = "Findings under 50% are marked possible: they are more likely wrong than right."

# Display names of the SemEval-2023 frames where replacing the underscores loses the
# official punctuation (the task's list reads "Legality, Constitutionality and
# jurisprudence"; the label has underscores only).
_FRAME_NAMES = {
    "Legality_Constitutionality_and_jurisprudence": "Legality, Constitutionality and jurisprudence",
}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 finding"``, ``"2 findings"`` (``many`` for an irregular plural)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def tentative(confidence: float) -> bool:
    """Whether a finding at this confidence is only a possible one (more likely wrong), as
    the reports show it: rounded to a whole percent, so that no "50%" reads "under 50%"."""
    return round(confidence * 100) < round(TENTATIVE_BELOW * 100)


def explanation(technique: str, confidence: float) -> str:
    """The plain-language explanation of a finding: what the wording does, or, for a
    possible finding, that the model is unsure and what the technique does in general."""
    info = taxonomy.TECHNIQUE_INFO[technique]
    if not tentative(confidence):
        return info.explanation
    general = info.explanation[:1].lower() + info.explanation[1:]
    return (
        f"Possibly {info.label.lower()}: the model is unsure (under 50%, more likely wrong "
        f"than right). This technique {general}"
    )


def frame_label(name: str) -> str:
    """A frame's display name ("Security and defense"), punctuation kept."""
    return _FRAME_NAMES.get(name) or name.replace("_", " ")


def frame_definition(name: str) -> str:
    """What a frame means (the perspective an issue is presented from), or ''."""
    return taxonomy.FRAME_INFO.get(name) or taxonomy.FRAME_INFO.get(_frame_key(name), "")


def _frame_key(label: str) -> str:
    for key in taxonomy.FRAMES:
        if frame_label(key) == label:
            return key
    return label


def genre_definition(name: str) -> str:
    """What a genre means, or ''."""
    return taxonomy.GENRE_INFO.get(name, "")


def frames_text(labels) -> str:
    """Frames for one line, the main frame first: "A (main frame); B; C" (a semicolon, since
    a frame name may hold a comma)."""
    names = [frame_label(f) for f in labels]
    if not names:
        return ""
    return "; ".join([f"{names[0]} (main frame)", *names[1:]])


def voice_reading(spans: Sequence[TechniqueSpan]) -> str:
    """One plain sentence on how many findings are the author's own words."""
    n = len(spans)
    others = [s for s in spans if s.voice != "author"]
    q, a = len(others), n - len(others)
    if n == 0:
        return "The model found no persuasion techniques above its threshold."
    if q == 0:
        if n == 1:
            return "The only finding is in the author's own words."
        return f"All {n} findings are in the author's own words."
    speakers = Counter(s.speaker for s in others if s.speaker)
    source = ""
    if speakers:
        top, k = speakers.most_common(1)[0]
        # speakers quoted as often as the first: all named, in one order whatever the
        # article's (most_common(1) named whichever of two tied came first)
        tied = sorted((name for name, m in speakers.items() if m == k), key=_name_order)
        if k == q:
            source = f", from {top}" if q == 1 else f", all from {top}"
        elif 2 * k > q:
            source = f", mostly from {top}"
        elif k > 1 and len(tied) > 1:
            names = _names(tied)
            # every quoted finding is one of theirs: say how many each
            source = (
                f", {k} each from {names}" if k * len(tied) == q else f", most often from {names}"
            )
        elif k > 1:
            source = f", most often from {top}"
        elif len(speakers) == 1:  # one named speaker, once: still say who
            source = f", 1 from {top}"
        else:  # several, each once: the first named and how many more
            more = len(speakers) - 1
            source = f", from {top} and {more} other{'s' if more > 1 else ''}"
    if a == 0:
        if q == 1:
            return f"The only finding is in quoted or reported speech{source}."
        return f"All {q} findings are in quoted or reported speech{source}."
    verb = "is" if q == 1 else "are"
    rest = f"{a} {'is' if a == 1 else 'are'} in the author's own words"
    return f"{q} of {n} findings {verb} in quoted or reported speech{source}; {rest}."


def _name_order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _names(names: Sequence[str], most: int = 3) -> str:
    """Names for a sentence: "A and B", "A, B and C"; past ``most``, "A, B, C and 2 others"."""
    if len(names) > most:
        more = len(names) - most
        names = [*names[:most], f"{more} other{'s' if more > 1 else ''}"]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
