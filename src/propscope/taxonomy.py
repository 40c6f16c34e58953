"""The SemEval-2023 persuasion taxonomy (23 techniques, 6 categories) and label mappings.

Everything a skin needs to name, group, colour and explain a technique lives here, together
with the frames and genres of SemEval-2023 Task 3 and the conversions between the label sets
of the three shared tasks whose data we use:

* SemEval-2023 Task 3 (23 techniques) -- the scheme propscope predicts and reports;
* SemEval-2020 Task 11 / PTC (14 labels, two of them merged classes): 18 of the 23 map as
  measured on the English training data; four PTC never annotated are assumed from the PTC
  definitions (Appeal_to_Values -> Flag-Waving, Appeal_to_Time -> Slogans,
  Consequential_Oversimplification -> Causal_Oversimplification, Questioning_the_Reputation
  -> Doubt), and Obfuscation-Vagueness-Confusion has no PTC-14 label (PTC dropped it):
  ``--format flc --taxonomy ptc14`` leaves its findings out, ``--format si`` (no labels)
  keeps every finding;
* SemEval-2021 Task 6 (20 technique names of the meme text subtasks, 22 in subtask 3).

>>> technique("Name_Calling,Labeling").name
'Name_Calling-Labeling'
>>> to_ptc("Appeal_to_Popularity")
'Bandwagon,Reductio_ad_hitlerum'
>>> from_ptc("Whataboutism,Straw_Men,Red_Herring")
'Red_Herring'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict

from propscope.errors import FormatError

# The 23 SemEval-2023 Task 3 technique names, exact strings, in the official order.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
)

CATEGORIES: dict[str, tuple[str, ...]] = {
    "Attack on reputation": (
        "Name_Calling-Labeling",
        "Guilt_by_Association",
        "Doubt",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ),
    "Justification": (
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ),
    "Simplification": (
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ),
    "Distraction": ("Straw_Man", "Red_Herring", "Whataboutism"),
    "Call": ("Slogans", "Conversation_Killer", "Appeal_to_Time"),
    "Manipulative wording": (
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
    ),
}

CATEGORY_OF: dict[str, str] = {t: c for c, ts in CATEGORIES.items() for t in ts}

# Highlight colours per category: light backgrounds for dark text (HIGHLIGHT_TEXT_COLOUR or
# black: contrast >= 11:1, WCAG AAA), six separate hues (red, blue, orange, purple, green,
# yellow; CIE76 distance >= 20 between any two). CATEGORY_BORDER is a darker shade of the same
# hue: >= 3:1 against its background and >= 4.5:1 against white (usable as legend text).
CATEGORY_COLOURS: dict[str, str] = {
    "Attack on reputation": "#F8C4C4",
    "Justification": "#B8DDF8",
    "Simplification": "#FFD6AD",
    "Distraction": "#E2C6F2",
    "Call": "#BFE6CC",
    "Manipulative wording": "#FFF0A0",
}
CATEGORY_BORDER: dict[str, str] = {
    "Attack on reputation": "#B3261E",
    "Justification": "#1F5FA8",
    "Simplification": "#A3520A",
    "Distraction": "#6B3FA0",
    "Call": "#1E7342",
    "Manipulative wording": "#8A6D00",
}
HIGHLIGHT_TEXT_COLOUR = "#1A1A1A"
# A category this version does not know (an analysis stored by a newer or foreign version):
# grey, so that every report still renders it.
FALLBACK_COLOUR = "#E4E4E7"
FALLBACK_BORDER = "#52525B"

# The 14 PTC labels of SemEval-2020 Task 11, exact strings.
PTC_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

# 23 -> 14: deterministic (measured on the shared English data, see ../shared/data/README.md).
# The four techniques PTC never annotated (absent from the English SemEval-2023 data, so no
# measurement exists) map to the PTC class whose PTC definition covers them:
# Appeal_to_Values -> Flag-Waving (justifying an idea by the audience's group values),
# Appeal_to_Time -> Slogans (a call to act now, usually a short imperative phrase),
# Consequential_Oversimplification -> Causal_Oversimplification (a slippery slope is an
# oversimplified causal chain), Questioning_the_Reputation -> Doubt (PTC's Doubt is
# "questioning the credibility of someone"; SemEval-2021 Smears had no PTC class either).
# Obfuscation has no PTC class (PTC removed it).
TO_PTC: dict[str, str | None] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Values": "Flag-Waving",
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Flag_Waving": "Flag-Waving",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Consequential_Oversimplification": "Causal_Oversimplification",
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    "Appeal_to_Time": "Slogans",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Loaded_Language": "Loaded_Language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Obfuscation-Vagueness-Confusion": None,
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Doubt": "Doubt",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    "Questioning_the_Reputation": "Doubt",
}

# 14 -> 23: every SemEval-2023 technique that maps to the PTC class (the inverse of TO_PTC),
# most frequent first as measured on identical spans of the English training data (README:
# Guilt_by_Association 55 vs Appeal_to_Popularity 14; Red_Herring 35, Appeal_to_Hypocrisy 32,
# Whataboutism 16, Straw_Man 13); techniques never seen in English data come last.
PTC_TO_CANDIDATES: dict[str, tuple[str, ...]] = {
    "Appeal_to_Authority": ("Appeal_to_Authority",),
    "Appeal_to_fear-prejudice": ("Appeal_to_Fear-Prejudice",),
    "Bandwagon,Reductio_ad_hitlerum": ("Guilt_by_Association", "Appeal_to_Popularity"),
    "Black-and-White_Fallacy": ("False_Dilemma-No_Choice",),
    "Causal_Oversimplification": (
        "Causal_Oversimplification",
        "Consequential_Oversimplification",
    ),
    "Doubt": ("Doubt", "Questioning_the_Reputation"),
    "Exaggeration,Minimisation": ("Exaggeration-Minimisation",),
    "Flag-Waving": ("Flag_Waving", "Appeal_to_Values"),
    "Loaded_Language": ("Loaded_Language",),
    "Name_Calling,Labeling": ("Name_Calling-Labeling",),
    "Repetition": ("Repetition",),
    "Slogans": ("Slogans", "Appeal_to_Time"),
    "Thought-terminating_Cliches": ("Conversation_Killer",),
    "Whataboutism,Straw_Men,Red_Herring": (
        "Red_Herring",
        "Appeal_to_Hypocrisy",
        "Whataboutism",
        "Straw_Man",
    ),
}

# The 20 technique names of SemEval-2021 Task 6 subtasks 1-2, exact strings, official order.
SEMEVAL2021_TECHNIQUES: tuple[str, ...] = (
    "Appeal to authority",
    "Appeal to fear/prejudice",
    "Black-and-white Fallacy/Dictatorship",
    "Causal Oversimplification",
    "Doubt",
    "Exaggeration/Minimisation",
    "Flag-waving",
    "Glittering generalities (Virtue)",
    "Loaded Language",
    "Misrepresentation of Someone's Position (Straw Man)",
    "Name calling/Labeling",
    "Obfuscation, Intentional vagueness, Confusion",
    "Presenting Irrelevant Data (Red Herring)",
    "Reductio ad hitlerum",
    "Repetition",
    "Slogans",
    "Smears",
    "Thought-terminating cliché",
    "Whataboutism",
    "Bandwagon",
)

# SemEval-2021 -> SemEval-2023. The two multimodal-only names of subtask 3 (Transfer, Appeal to
# (Strong) Emotions) have no SemEval-2023 counterpart. SemEval-2021 (PTC guidelines) defines
# Whataboutism as discrediting by a charge of hypocrisy, so some of its instances would be
# Appeal_to_Hypocrisy under the 2023 guidelines; the name-level counterpart is kept.
FROM_SEMEVAL2021: dict[str, str | None] = {
    "Appeal to authority": "Appeal_to_Authority",
    "Appeal to fear/prejudice": "Appeal_to_Fear-Prejudice",
    "Black-and-white Fallacy/Dictatorship": "False_Dilemma-No_Choice",
    "Causal Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration/Minimisation": "Exaggeration-Minimisation",
    "Flag-waving": "Flag_Waving",
    "Glittering generalities (Virtue)": "Appeal_to_Values",
    "Loaded Language": "Loaded_Language",
    "Misrepresentation of Someone's Position (Straw Man)": "Straw_Man",
    "Name calling/Labeling": "Name_Calling-Labeling",
    "Obfuscation, Intentional vagueness, Confusion": "Obfuscation-Vagueness-Confusion",
    "Presenting Irrelevant Data (Red Herring)": "Red_Herring",
    "Reductio ad hitlerum": "Guilt_by_Association",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Smears": "Questioning_the_Reputation",
    "Thought-terminating cliché": "Conversation_Killer",
    "Whataboutism": "Whataboutism",
    "Bandwagon": "Appeal_to_Popularity",
    "Transfer": None,
    "Appeal to (Strong) Emotions": None,
}

# The 18 original fine-grained PTC names (before SemEval-2020 merged some), accepted as aliases.
_PTC18_TO_23: dict[str, str] = {
    "Bandwagon": "Appeal_to_Popularity",
    "Reductio_ad_hitlerum": "Guilt_by_Association",
    "Obfuscation,Intentional_Vagueness,Confusion": "Obfuscation-Vagueness-Confusion",
    "Red_Herring": "Red_Herring",
    "Straw_Men": "Straw_Man",
    "Whataboutism": "Whataboutism",
}

# The 14 SemEval-2023 Task 3 frame names (subtask 2), exact strings, official order, with the
# meaning of each frame (after the Media Frames Corpus codebook the task builds on).
FRAME_INFO: dict[str, str] = {
    "Economic": "Costs, benefits or other financial implications of the issue.",
    "Capacity_and_resources": (
        "Whether there are enough (or too few) physical, human or financial resources, and the "
        "capacity of existing systems to cope."
    ),
    "Morality": "Religious or ethical implications: what is right or wrong, duty, honour.",
    "Fairness_and_equality": (
        "Whether rights, burdens and resources are distributed fairly; equal or unequal "
        "treatment of people or groups."
    ),
    "Legality_Constitutionality_and_jurisprudence": (
        "Legal and constitutional aspects: rights, court rulings, laws and who has authority."
    ),
    "Policy_prescription_and_evaluation": (
        "Specific policies proposed or in force to deal with the issue, and whether they work."
    ),
    "Crime_and_punishment": "Breaking of laws or rules, law enforcement, sentencing, punishment.",
    "Security_and_defense": (
        "Threats to the safety of a person, community or nation, and defence against them."
    ),
    "Health_and_safety": "Health care, disease, sanitation and public safety.",
    "Quality_of_life": (
        "Effects on people's wealth, mobility, daily routines, community life and happiness."
    ),
    "Cultural_identity": "Traditions, customs and values of a social group affected by the issue.",
    "Public_opinion": "What the public thinks: attitudes, polls, protests and popular reactions.",
    "Political": (
        "Political considerations: parties, elections, lobbying and political manoeuvring."
    ),
    "External_regulation_and_reputation": (
        "A country's relations with other countries: foreign policy, international reputation, "
        "treaties and trade."
    ),
}
FRAMES: tuple[str, ...] = tuple(FRAME_INFO)

# SemEval-2023 Task 3 subtask 1 genres.
GENRE_INFO: dict[str, str] = {
    "opinion": "Argues for a position or expresses the author's view (editorial, commentary).",
    "reporting": "Informs the reader about events and facts in a neutral, objective way.",
    "satire": "Imitates news to mock or criticise through humour, irony or exaggeration.",
}
GENRES: tuple[str, ...] = tuple(GENRE_INFO)


class Technique(BaseModel):
    """One SemEval-2023 persuasion technique, with texts for people who read the analysis."""

    model_config = ConfigDict(frozen=True)

    name: str
    """The exact SemEval-2023 label, e.g. ``"Name_Calling-Labeling"``."""
    label: str
    """Human title, e.g. ``"Name calling / labelling"``."""
    category: str
    """One of the keys of :data:`CATEGORIES`."""
    definition: str
    """What the technique is (after the SemEval-2023 Task 3 annotation guidelines)."""
    explanation: str
    """One plain-language line on why this wording persuades."""
    example: str
    """A short, invented illustration."""


# name: (label, definition, explanation, example)
_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "Appeal_to_Authority": (
        "Appeal to authority",
        "Presents a claim as true or right because an authority, expert or institution "
        "supports it, with no further evidence; the authority may be a real expert, someone "
        "without relevant expertise, or the speaker itself.",
        "Borrows the standing of an expert or official so the claim feels settled without the "
        "reader checking the evidence.",
        "A leading economist agrees with us, so the tax cut will obviously pay for itself.",
    ),
    "Appeal_to_Popularity": (
        "Appeal to popularity",
        "Argues that an idea is right, or should be adopted, because many people (or "
        "'everyone') already hold it or act on it; also called bandwagon.",
        "Suggests that because many people believe or do something the reader should too, "
        "replacing reasons with a head count.",
        "Millions of families have already switched to the new plan. Why haven't you?",
    ),
    "Appeal_to_Values": (
        "Appeal to values",
        "Promotes an idea by tying it to values the audience sees as unquestionably positive, "
        "such as freedom, democracy, peace, tradition, religion or ethics.",
        "Ties the idea to values the reader cherishes so that disagreeing feels like rejecting "
        "those values.",
        "This reform is about one thing only: the freedom our grandparents fought for.",
    ),
    "Appeal_to_Fear-Prejudice": (
        "Appeal to fear / prejudice",
        "Promotes or rejects an idea by playing on the audience's fears, anxieties or "
        "existing prejudices about an alternative or a group.",
        "Stirs up fear or prejudice so the reader reacts to the threat instead of weighing the "
        "argument.",
        "If this law passes, none of our children will be safe walking home from school.",
    ),
    "Flag_Waving": (
        "Flag waving",
        "Justifies or promotes an idea by appealing to pride in, or the interests of, a group "
        "the audience identifies with, such as a nation, religion, ethnicity or party.",
        "Appeals to group pride so that supporting the idea feels like loyalty and opposing it "
        "like betrayal.",
        "Every true patriot will stand behind this bill.",
    ),
    "Causal_Oversimplification": (
        "Causal oversimplification",
        "Attributes an issue with several causes to a single cause, or treats one event as the "
        "cause of another merely because it came first.",
        "Pins a complex problem on one easy culprit instead of showing the full picture.",
        "Crime went up the year the new mayor took office, so his policies are to blame.",
    ),
    "False_Dilemma-No_Choice": (
        "False dilemma / no choice",
        "Presents two options as the only possible ones when more exist, or in its extreme "
        "form presents a single course of action as the only one available.",
        "Offers only two choices, or one, so the reader overlooks the alternatives that "
        "actually exist.",
        "Either we close the border today or we lose our country for good.",
    ),
    "Consequential_Oversimplification": (
        "Consequential oversimplification",
        "Claims without justification that a first step will set off a chain of events ending "
        "in a drastic (usually bad, sometimes good) outcome; also called slippery slope.",
        "Makes one step look like the start of an unstoppable slide, so the reader judges the "
        "imagined end point instead of the step itself.",
        "Allow a four-day week now and soon nobody will want to work at all.",
    ),
    "Straw_Man": (
        "Straw man",
        "Replaces an opponent's position with a distorted, weaker or exaggerated version of it "
        "and then attacks that version as if it were the original.",
        "Knocks down a caricature of someone's view so that it looks as if the real argument "
        "was defeated.",
        "My opponent wants to trim the police budget; in other words, she wants criminals to "
        "run our streets.",
    ),
    "Red_Herring": (
        "Red herring",
        "Introduces material that is irrelevant to the issue under discussion in order to "
        "divert attention from it.",
        "Brings in an unrelated point to pull the reader's attention away from the real issue.",
        "Why dwell on the pollution figures when the factory sponsors our local football team?",
    ),
    "Whataboutism": (
        "Whataboutism",
        "Answers a criticism not by addressing it but with a counter-accusation, pointing to "
        "another party's wrongdoing or double standards to switch the topic.",
        "Deflects criticism by pointing at someone else's faults, dodging the question instead "
        "of answering it.",
        "Our ministry overspent? What about the opposition's spending scandal last year?",
    ),
    "Slogans": (
        "Slogans",
        "Uses a short, striking phrase, often containing labels or stereotypes, that works as "
        "an emotional appeal or call to action.",
        "Packs an idea into a catchy phrase that is easy to repeat and hard to question.",
        "Our jobs, our future, our town!",
    ),
    "Appeal_to_Time": (
        "Appeal to time",
        "Argues that the time has come for a particular action, using urgency or a deadline "
        "as the reason to act.",
        "Creates a sense of urgency so the reader agrees or acts before thinking it through.",
        "The moment to act is now; tomorrow it will already be too late.",
    ),
    "Conversation_Killer": (
        "Conversation killer",
        "Uses a stock phrase that discourages critical thought and further discussion, "
        "typically a short, generic statement that seems to settle the matter.",
        "Shuts down discussion with a ready-made phrase, signalling there is nothing left to "
        "think about.",
        "That's simply how things are. End of story.",
    ),
    "Loaded_Language": (
        "Loaded language",
        "Uses words or phrases with strong emotional connotations, positive or negative, to "
        "sway the audience.",
        "Uses emotionally charged words so the reader feels a reaction before weighing the facts.",
        "The reckless scheme has devastated hard-working families across the region.",
    ),
    "Repetition": (
        "Repetition",
        "Repeats the same word, phrase or message several times so that the audience comes "
        "to accept it.",
        "Repeats a message until it feels familiar, and familiar claims tend to feel true.",
        "We want change. We need change. And we will deliver change.",
    ),
    "Exaggeration-Minimisation": (
        "Exaggeration / minimisation",
        "Represents something as larger, better or worse than it is, or makes it seem smaller "
        "or less important than it really is.",
        "Blows something up or plays it down so the reader misjudges how much it matters.",
        "This is the worst decision any government has ever made.",
    ),
    "Obfuscation-Vagueness-Confusion": (
        "Obfuscation / vagueness / confusion",
        "Uses deliberately unclear or ambiguous wording so that the audience can read its own "
        "meaning into it and the claim cannot be pinned down.",
        "Stays vague on purpose, so each reader fills in a meaning and nobody can hold the "
        "writer to a clear claim.",
        "The measures will be adjusted as appropriate, in due course, to reflect evolving "
        "realities.",
    ),
    "Name_Calling-Labeling": (
        "Name calling / labelling",
        "Attaches a loaded label to a person, group, object or activity, usually insulting or "
        "demeaning, sometimes flattering, in place of an argument.",
        "Attaches a loaded label to a person or group so the reader judges them by the label "
        "instead of evidence.",
        "The so-called experts of the climate cult have spoken again.",
    ),
    "Doubt": (
        "Doubt",
        "Questions the credibility of someone or something, for instance their competence, "
        "honesty or motives, in order to undermine them.",
        "Raises questions about someone's credibility or motives so the reader distrusts them "
        "without being shown proof.",
        "Is the minister really the right person to lead this inquiry, given what he knows?",
    ),
    "Guilt_by_Association": (
        "Guilt by association",
        "Discredits a person, group or idea by linking it to something the audience strongly "
        "dislikes, such as a hated regime, group or ideology (including reductio ad "
        "Hitlerum).",
        "Links a person or idea to something the reader already despises, so the dislike "
        "carries over without argument.",
        "The mayor's parking plan could have come straight from a Soviet five-year plan.",
    ),
    "Appeal_to_Hypocrisy": (
        "Appeal to hypocrisy",
        "Attacks the reputation of the target by accusing them of hypocrisy or inconsistency, "
        "openly or by pointing to contradictions between their words and actions (tu quoque).",
        "Discredits the messenger as a hypocrite instead of answering the message.",
        "The senator lectures us about saving energy, yet flies to every meeting by private jet.",
    ),
    "Questioning_the_Reputation": (
        "Questioning the reputation",
        "Attacks the reputation of the target with strong negative claims about their "
        "character or moral standing, rather than engaging with the argument itself.",
        "Smears someone's character so the reader dismisses them without engaging with what "
        "they say.",
        "Nothing this paper prints can be trusted; it has always served its rich owners.",
    ),
}


def _make_technique(name: str) -> Technique:
    label, definition, explanation, example = _TEXTS[name]
    return Technique(
        name=name,
        label=label,
        category=CATEGORY_OF[name],
        definition=definition,
        explanation=explanation,
        example=example,
    )


TECHNIQUE_INFO: dict[str, Technique] = {name: _make_technique(name) for name in TECHNIQUES}


class UnknownLabelError(FormatError, KeyError):
    """A technique label is not part of the label set it was looked up in.

    A ``KeyError`` (so ``except KeyError`` works) and a :class:`~propscope.errors.FormatError`
    (so the CLI reports it as one readable line).
    """

    def __str__(self) -> str:  # KeyError would show the repr of the message
        return str(self.args[0]) if self.args else ""


def _key(name: str) -> str:
    """Lower-case, accent-free, runs of non-alphanumerics collapsed: the alias lookup key."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", ascii_only.casefold()).strip("_")


def _build_aliases() -> tuple[dict[str, str], frozenset[str]]:
    """Map the lookup key of every accepted name to its SemEval-2023 name."""
    sources: list[tuple[str, str | None]] = [(t, t) for t in TECHNIQUES]
    sources += [(info.label, info.name) for info in TECHNIQUE_INFO.values()]
    sources += [(p, PTC_TO_CANDIDATES[p][0]) for p in PTC_TECHNIQUES]
    sources += list(_PTC18_TO_23.items()) + list(FROM_SEMEVAL2021.items())
    aliases: dict[str, str] = {}
    no_counterpart: set[str] = set()
    for alias, target in sources:
        key = _key(alias)
        if target is None:
            no_counterpart.add(key)
        elif aliases.setdefault(key, target) != target:
            raise RuntimeError(f"ambiguous technique alias {alias!r}")
    if no_counterpart & aliases.keys():
        raise RuntimeError("a technique alias both has and lacks a SemEval-2023 counterpart")
    return aliases, frozenset(no_counterpart)


_ALIASES, _NO_COUNTERPART = _build_aliases()
_PTC_BY_KEY: dict[str, str] = {_key(p): p for p in PTC_TECHNIQUES}
_SEMEVAL2021_BY_KEY: dict[str, str] = {_key(n): n for n in FROM_SEMEVAL2021}


def _unknown(name: str, what: str, choices: dict[str, str], expected: str) -> UnknownLabelError:
    """Build the error for an unknown label, suggesting the closest known names."""
    close = difflib.get_close_matches(_key(name), list(choices), n=3, cutoff=0.6)
    hints = list(dict.fromkeys(choices[k] for k in close))
    suggestion = f" Did you mean {' or '.join(map(repr, hints))}?" if hints else ""
    return UnknownLabelError(f"Unknown {what} {name!r}.{suggestion} Expected {expected}.")


def technique(name: str) -> Technique:
    """Return the SemEval-2023 technique for ``name``.

    Accepts the 23 SemEval-2023 names, their human titles, the 14 PTC labels (a merged PTC
    class gives its most frequent counterpart, as :func:`from_ptc`), the 18 original PTC names
    and the SemEval-2021 names, ignoring case, accents and punctuation.

    Raises:
        UnknownLabelError: (a ``KeyError``) if the name is unknown or has no counterpart.
    """
    key = _key(name)
    if key in _ALIASES:
        return TECHNIQUE_INFO[_ALIASES[key]]
    if key in _NO_COUNTERPART:
        raise UnknownLabelError(
            f"Technique {name!r} (SemEval-2021, multimodal) has no SemEval-2023 counterpart."
        )
    expected = "one of the 23 SemEval-2023 names (see TECHNIQUES), a PTC or a SemEval-2021 name"
    raise _unknown(name, "technique", _ALIASES, expected)


def to_ptc(name23: str) -> str | None:
    """Return the PTC-14 label of a technique, or None for Obfuscation (PTC dropped it).

    ``name23`` may be any name :func:`technique` accepts.
    """
    return TO_PTC[technique(name23).name]


def from_ptc(name14: str) -> str:
    """Return the SemEval-2023 name for a PTC-14 label.

    A merged class gives its most frequent counterpart in the English data
    (``Bandwagon,Reductio_ad_hitlerum`` -> ``Guilt_by_Association``,
    ``Whataboutism,Straw_Men,Red_Herring`` -> ``Red_Herring``); all counterparts are in
    :data:`PTC_TO_CANDIDATES`.

    Raises:
        UnknownLabelError: if ``name14`` is not a PTC-14 label.
    """
    ptc = _PTC_BY_KEY.get(_key(name14))
    if ptc is None:
        raise _unknown(name14, "PTC label", _PTC_BY_KEY, "one of the 14 in PTC_TECHNIQUES")
    return PTC_TO_CANDIDATES[ptc][0]


def from_semeval2021(name: str) -> str | None:
    """Return the SemEval-2023 name for a SemEval-2021 Task 6 technique name.

    None for the two multimodal-only names (``Transfer``, ``Appeal to (Strong) Emotions``).

    Raises:
        UnknownLabelError: if ``name`` is not a SemEval-2021 technique name.
    """
    original = _SEMEVAL2021_BY_KEY.get(_key(name))
    if original is None:
        expected = "one of the names in FROM_SEMEVAL2021"
        raise _unknown(name, "SemEval-2021 technique", _SEMEVAL2021_BY_KEY, expected)
    return FROM_SEMEVAL2021[original]


def convert_label(name: str, target: Literal["semeval2023", "ptc14"]) -> str | None:
    """Convert any accepted technique name to the ``target`` label set.

    ``"semeval2023"`` gives one of :data:`TECHNIQUES`; ``"ptc14"`` one of
    :data:`PTC_TECHNIQUES` or None (Obfuscation).
    """
    if target == "semeval2023":
        return technique(name).name
    if target == "ptc14":
        return to_ptc(name)
    raise ValueError(f"Unknown label set {target!r}; use 'semeval2023' or 'ptc14'.")


def category_colours(category: str) -> tuple[str, str]:
    """(background, border) colours of a category; grey for one this version does not know."""
    return (
        CATEGORY_COLOURS.get(category, FALLBACK_COLOUR),
        CATEGORY_BORDER.get(category, FALLBACK_BORDER),
    )


def technique_label(name: str) -> str:
    """The display name of a technique ("Loaded language"); an unknown one ("Future_Trick",
    from a newer or foreign store) is shown as its words, never an error."""
    info = TECHNIQUE_INFO.get(name)
    return info.label if info else name.replace("_", " ")
