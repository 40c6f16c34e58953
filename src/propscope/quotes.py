"""Quotation and speaker attribution: who speaks each part of an article.

A persuasion technique inside the quote of an official is the official's, not the journalist's.
This module finds direct quotes (text between quote marks), reported speech ("X said that ...",
"..., X told Trend.") and attributed headlines ("... – Azerbaijani official"), and names the
speaker of each, so that :func:`attribute` can tell whose voice a technique span is in.

It is regex-based and stdlib-only, so it runs on every article without a model (a few
milliseconds for 5,000 characters). Where a construction is ambiguous it prefers precision: a
sentence without a speech verb stays in the author's voice.

``find_quotes(text, language)`` knows the conventions of English, French, German, Italian,
Polish and Russian news (:data:`LANGUAGES`): their quotation marks (« », „ “, » «, ‚ ‘, „ ”),
reporting verbs in their usual tenses and genders, titles, word order, and dash dialogue. Each
language is a table of plain word lists (``_FRENCH``, ``_GERMAN``, ...) compiled once, on
first use, into the same pattern shapes as the English ones.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import chain, islice
from typing import Literal

from propscope.errors import UnsupportedLanguageError
from propscope.first_names import first_name_gender

__all__ = ["LANGUAGES", "Quote", "Voice", "attribute", "find_quotes"]

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
    complain predict confirm deny gushed gushes bragged brags whined whines advised advises
    opined opines
    agreed agrees detailed joked jokes quipped quips lamented laments fretted frets exclaimed
    exclaims retorted retorts testified mused scoffed ruled cried repeats vowed vows pledged
    pledges
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
_AUX_WORDS |= {"separately", "publicly", "privately", "repeatedly", "initially", "originally"}
_AUX = (
    r"(?:has|have|had|also|then|later|further|again|once again|reportedly|previously|"
    r"earlier|recently|yesterday|today|separately|publicly|privately|repeatedly|initially|"
    r"originally|"
    # "Trump on Tuesday described Powell as a “...”"
    r"on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
)
# Roles that name one person, so "the official" can refer back to a named speaker.
_PERSON_ROLES = """
    official minister spokesperson spokesman spokeswoman president ambassador diplomat envoy
    leader chief head adviser advisor aide assistant representative senator lawmaker commander
    general prosecutor mayor governor chairman chairwoman chair director secretary premier
    ombudsman deputy politician chancellor mp fm pm professor nominee candidate councilman
    councilwoman councillor councilor
""".split()
# Roles that do not refer back to the last named person.
_OTHER_ROLES = """
    officials ministers spokespeople diplomats leaders source sources statement report reports
    ministry government agency organization organisation group witness witnesses resident
    residents analyst analysts expert experts observer observers critic critics activist
    activists authorities police military army office embassy newspaper paper website channel
    lawyer lawyers doctor doctors man woman people scientists researchers lawmakers
    legislators senators professors
""".split()
# Clergy speak as "the cardinal", "the pope": not the last named speaker, who is often
# someone else ("Cardinal Müller ... The cardinal said" after others spoke).
_OTHER_ROLES += "cardinal archbishop bishop pope pontiff priest rabbi imam pastor cleric".split()
_OTHER_ROLES += "judge judges court jury".split()  # "the judge ruled that"
# Kin, friends and staff: "Gilani’s cousin, Syed Ahmed, told", "a former Senate staffer said"
_OTHER_ROLES += """
    staffer staffers cousin brother sister mother father wife husband son daughter uncle aunt
    friend friends neighbor neighbour colleague spouse relative relatives
""".split()
# Documents speak as their authors do: "the memo says", "according to the plan"
_OTHER_ROLES += """
    memo memorandum letter document documents study indictment lawsuit message settlement
    complaint ruling verdict resolution motion alert editorial
""".split()
_SUBJECT_ENDS = {"he", "she", "they"} | set(_PERSON_ROLES) | set(_OTHER_ROLES)
_ROLES = "|".join(sorted(_PERSON_ROLES + _OTHER_ROLES, key=len, reverse=True))
_FUNCTION = (
    r"(?i:and|or|but|that|which|who|whom|whose|where|when|while|what|how|why|if|though|although|"
    r"because|since|unless|until|whether|after|before|in|on|at|of|to|"
    r"for|with|by|from|as|is|was|are|"
    r"were|be|been|has|have|had|not|it|he|she|they|we|i|you|said|says|told)"
)
# Capitalised words that start sentences or name dates, never a speaker's name (nor the
# imperatives of "Take note that ...", "Remember that ...").
_STOP_CAPS = set(
    """
    The A An This That These Those It He She They We I You His Her Their Its Our My But And Or
    So Yet Then Later Meanwhile However Earlier Also In On At As When While After Before Today
    Yesterday Tomorrow Speaking According Asked Still Now Here There Moreover Furthermore Thus
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December
    Take Note Let Consider Remember Imagine Notice Recall Mind
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
# A capitalised word, an initial or an abbreviation; not a shouted contraction ("White House
# WON’T say": a headline's verb, not part of a name).
_TOKEN = (
    rf"(?:(?:{_UPPER}\.){{2,}}|{_UPPER}\w{{0,2}}\.(?=\s+{_UPPER})"
    rf"|(?![A-Z]+N[’']T\b){_UPPER}\w*(?:[’'\-]\w+)*)"
)
_RUN = rf"(?:(?:{'|'.join(_PARTICLES)})\s+){{0,2}}{_TOKEN}(?:\s+(?:{_CONN}\s+)*{_TOKEN})*"
_ADJ = rf"(?!{_FUNCTION}\b)[^\W\d_][\w’'\-]*"
# ... but not the verb's adverb or auxiliary: "the House Office of Inspector General
# separately alleged", "Most pro-life observers in Britain will tell you"
_COMPLEMENT_WORD = (
    rf"(?!(?i:will|would|can|could|may|might|must|shall|should|has|have|had|is|are|was|were|"
    rf"also|then|now|still|often)\b|[a-z]+ly\b){_ADJ}"
)
_DESC = (
    rf"(?:(?i:the|a|an|another|one|this|its|his|her|their)\s+)?(?:{_ADJ}\s+){{0,3}}?"
    # the last of two role words: "a police report", "a government spokesman", not "a police"
    rf"(?i:{_ROLES})\b(?![^\S\r\n]+(?i:{_ROLES})\b)"
    # "a source close to the CHA", "people familiar with the matter"
    rf"(?:\s+(?i:of|for|at|from|in|close\s+to|familiar\s+with)\s+(?:(?i:the)\s+)?"
    rf"{_ADJ}(?:\s+{_COMPLEMENT_WORD}){{0,2}})?"
)
_PRON = r"(?i:he|she|they)\b"
_DESC_NOT_TITLE = rf"{_DESC}(?!\s+{_TOKEN})"  # "said the official", not "said President X"
# "attorney Marc Victor", "defense attorney John Zwerling", "spokesman John Kirby": a role in
# lower case right before the name (alone, "attorney" is not a speaker: "Another Ford attorney")
_LOWER_TITLE = (
    rf"(?=[a-z])(?:{_ADJ}\s+){{0,2}}?(?:{_ROLES}|attorney|professor|author|columnist|editor|"
    rf"reporter|journalist|host|commentator|founder|researcher|scientist|historian|"
    # people in the street: "said supporter Tom Baker", "said local teacher Ann Lee"
    rf"supporter|fan|voter|student|teacher|parent|owner|organi[sz]er|volunteer|nurse|"
    rf"farmer|worker|protester|protestor|survivor|shopkeeper|driver|pastor|coach|player)"
    rf"\s+{_RUN}"
)
# ... or after the body or place it serves, capitalised: "White House spokesman Josh Earnest",
# "Sweden Democrat leader Jimmie Akesson", "Fox News host Tucker Carlson"
_BODY_TITLE = (
    rf"(?:{_TOKEN}\s+){{1,3}}(?:[a-z]+\s+)?(?:{_ROLES}|host|columnist|editor|reporter|commentator|founder|"
    rf"strategist|historian|economist)\s+{_RUN}"
)
_SPK = rf"(?<![\w’'\-])(?:{_PRON}|{_LOWER_TITLE}|{_BODY_TITLE}|{_DESC}|{_RUN}|(?-i:the)\s+{_RUN})"
# "according to him": the object forms, only after "according to"; "according to the Post"
_ACC = rf"(?:{_SPK}|(?i:him|her|them)\b|(?i:the)\s+{_RUN})"
# ... and where they said it: "according to Bill Gertz in the Washington Times, "...""
_IN_OUTLET = rf"(?:\s+(?i:in|on)\s+(?:(?i:the)\s+)?{_RUN})?"
# What may stand between a speaker and the verb: a party or an acronym in brackets ("Rep.
# Scott Perry (R-Pa.) said", "Министерство обороны (МО) заявило") and an apposition.
# A second apposition only as a participle clause: "Cardinal Henri de Lubac, writing in
# 1985, recalling that drama, said:" (any two let "Late Thursday, ..., said" be a speaker).
_APPOS = (
    r"(?:\s*\([^()\"“”«»\r\n]{1,40}\))?"
    r"(?:\s*,[^,\"“”«»]{1,120},(?:\s*[a-z]+ing\b[^,\"“”«»]{0,100},)?)?"
)
# Right after a quote that ends in a comma, a role may lack its closing comma: "..., ”
# Gavino Zarate, secretary of the Harris County Green Party told Heavy" (elsewhere, "After
# ..., President X said" and "Instead, the politician said" would read as such a pair)
_APPOS_OPEN = rf"\s*,\s*{_DESC}(?:\s+{_RUN})?"
_OBJ = r"(?!\s+(?i:nothing|little|no|none)\b)(?:\s+[^\s,;:!?\"“”«».]+){0,8}?"

# Not right after a verb whose object is whom one spoke to, not who spoke ("told the Daily
# Mail", "told host Tucker Carlson")
_NOT_WHOM = r"(?<!told\s)(?<!tells\s)(?<!tell\s)(?<!asked\s)(?<!asks\s)(?<!urged\s)(?<!warned\s)"
# A name after the verb, with "the" and a title before it: "said the Rev. David W. Dockery"
_THE_NAME = rf"(?:{_NOT_WHOM}(?i:the)\s+(?:[a-z]+\s+)?(?={_UPPER}))?{_RUN}"
# "..." X said / said X / according to X -- matched right after a closing quote mark.
_POST = re.compile(
    # "(according to X)" in brackets too: a "trivialized liturgy" (according to Pope Benedict)
    # not a title alone before its name ("according to Senator John Smith")
    rf"\s*[,;]?\s*[-–—]?\s*(?:\(?(?i:according to)\s+(?P<a>{_ACC})(?!\s+{_TOKEN})"
    rf"|(?:{_VERBS})\s+(?P<b>{_BODY_TITLE}|{_DESC_NOT_TITLE}|{_THE_NAME}"
    # "said spokeswoman Mary Holt", not "told host Tucker Carlson" (whom one spoke to)
    rf"|{_NOT_WHOM}{_LOWER_TITLE})"
    # "Agustín Sánchez-Lavega of the University of the Basque Country in Spain explains"
    rf"|(?P<c>{_SPK})(?:\s+in\s+{_RUN})?{_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b"
    rf"|(?:(?<=,\s)|(?<=,[\"”’»]\s))(?P<e>{_SPK}){_APPOS_OPEN}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b)"
)
# X said: "..." / X told Y, "..." / According to X, "..." -- text ending at an opening mark.
_PRE = re.compile(
    rf"(?:(?P<a>{_SPK}){_APPOS}(?:,?\s+who)?\s+(?:{_AUX}\s+)*(?:{_VERBS})\b{_OBJ}"
    rf"(?:,\s+{_PARTICIPLES})?"
    rf"|(?i:according to)\s+(?P<b>{_ACC}){_IN_OUTLET}"
    # the verb first, opening its sentence: "Says President Recep Tayyip Erdogan, "...""
    rf"|(?:^|(?<=[.!?\n]\s)|(?<=\n))(?:Says|Said|Adds|Added|Writes|Wrote)\s+"
    rf"(?P<c>{_DESC_NOT_TITLE}|{_THE_NAME}))\s*[:,]?\s*(?:that\s*)?$"
)
# CLAUSE, X told Trend. / CLAUSE, said X. / CLAUSE, according to X.
_TAIL = re.compile(
    rf",\s*(?:(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b{_OBJ}"
    rf"|(?:{_VERBS})\s+(?P<b>{_DESC_NOT_TITLE}|{_THE_NAME})(?:\s*,[^,]{{1,80}})?"
    rf"|(?i:according to)\s+(?P<c>{_ACC})(?:\s*,[^,]{{1,80}})?)"
    r"\s*[.!?…]*[\s\"”’»)]*$"
)
# According to X, CLAUSE.
_HEAD = re.compile(rf"\s*(?i:according to)\s+(?P<a>{_ACC}){_IN_OUTLET},\s*")
# X stressed (to Y) that CLAUSE. / ..., adding that CLAUSE.
_THAT = re.compile(
    rf"(?<![\w-])(?P<verb>{_VERBS}|{_PARTICIPLES})\b"
    # words before "that", a date among them: "claimed on September 2, 2015 that"
    r"(?:\s+(?!that\b)(?:\d{1,2},(?=\s+\d{4}\b)|[^\s,;:!?\"“”«».]+)){0,6}?"
    r"\s*,?\s+that\s+"
)
# X said CLAUSE. (no "that"; only verbs that introduce a clause) / X said: CLAUSE.
_BARE_WORDS = "said says say claimed claims insisted insists argued argues alleged alleges".split()
_NOT_A_CLAUSE = (
    r"(?i:that|in|on|at|during|to|after|before|while|when|of|for|with|by|from|so|as|this|"
    r"yesterday|today|earlier|later|nothing|something|goodbye|hello|yes|no|it all|regarding|"
    r"amid|despite)"
)
_DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY_PART = r"(?:morning|afternoon|evening|night)\b"
_BARE = re.compile(
    rf"(?<![\w-])(?P<verb>{'|'.join(_BARE_WORDS)})\s+"
    # the day is no part of the clause ("said Wednesday the death toll stood at 207"), and
    # "said Sunday of the accusations", "said Monday night, ..." have none; "said Friday's
    # vote was rigged" and "said evening classes ..." do
    rf"(?:{_DAY}(?:\s+{_DAY_PART})?\s+(?!{_DAY_PART}))?"
    rf"(?!{_NOT_A_CLAUSE}\b|{_DAY}\b(?![’']))(?=[^\W\d_])"
)
_COLON = re.compile(rf"(?<![\w-])(?P<verb>{_VERBS})\s*:\s+(?=[^\W\d_])")
# CLAUSE, X said, CLAUSE.
_PAREN = re.compile(rf",\s*(?P<a>{_SPK})\s+(?:{_AUX}\s+)*(?:{_VERBS})\b\s*,\s+")
# The subject right before a speech verb (the text must end where the verb starts).
_SUBJECT = re.compile(rf"(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*$")
_SUBJECT_VERB = re.compile(rf"(?P<a>{_SPK}){_APPOS}\s+(?:{_AUX}\s+)*(?:{_VERBS})\b")
_ROLE_WORD = re.compile(rf"\b(?i:{_ROLES})\b")
_PRON_FULL = re.compile(r"(?i:he|she|they|him|her|them)\b")  # "according to him"
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
_SINGLE = "'‘’‚‹›"
_QUOTE_MARKS = _DOUBLE + _SINGLE
_MARK = re.compile(f"[{_QUOTE_MARKS}]")
_OPEN_GLYPHS = "“„«‘‚‹"
_OPEN_PUNCT = "([{—–-/:" + _QUOTE_MARKS
_CLOSE_PUNCT = ".,;:!?)]}—–-…" + _QUOTE_MARKS
_STRONG_BEFORE = ".,;:!?…—-"
_MAX_DEPTH = 3


# --------------------------------------------------------------------------------------------
# Languages. English uses the patterns above. French, German, Italian, Polish and Russian are
# built by _build from the tables below, in the same shapes plus what their news style needs:
# a speaker after the verb (« ... », a déclaré le ministre / „...“, sagte er), a verb without
# subject (« ... », ha detto / „...” – powiedział), dash dialogue (— Мы победим, — сказал он),
# complementizers (que, dass, che, że, что), and roles and names that change with grammatical
# case (według rzecznika, по словам Лаврова).

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "it", "pl", "ru")


@dataclass(frozen=True)
class _Grammar:
    """The compiled patterns and word sets of one language."""

    lang: str
    post: re.Pattern[str]  # attribution right after a closing mark
    pre: re.Pattern[str]  # attribution ending at an opening mark
    tail: re.Pattern[str]  # CLAUSE, X said.
    head: re.Pattern[str]  # According to X, CLAUSE.
    that: re.Pattern[str]  # X said that CLAUSE.
    bare: re.Pattern[str]  # X said CLAUSE.
    colon: re.Pattern[str]  # X said: CLAUSE.
    paren: re.Pattern[str]  # CLAUSE, X said, CLAUSE.
    subject: re.Pattern[str]
    subject_verb: re.Pattern[str]
    role_word: re.Pattern[str]
    titled: re.Pattern[str] | None  # a role with the name after it ("Premier Donald Tusk")
    named: re.Pattern[str] | None  # a name with its title, nothing else
    inverted_subject: re.Pattern[str] | None  # German: the subject right after the verb
    pron_full: re.Pattern[str]
    desc_full: re.Pattern[str]
    run_full: re.Pattern[str]
    conn_full: re.Pattern[str]
    participle_full: re.Pattern[str]
    speech_tail: re.Pattern[str]
    sentence_end: re.Pattern[str]
    cue_words: frozenset[str]
    head_words: frozenset[str] | None  # one of these must occur for the head pattern; None: any
    that_words: frozenset[str] | None  # likewise for the that pattern
    bare_words: frozenset[str]
    aux_words: frozenset[str]
    subject_ends: frozenset[str]
    person_roles: frozenset[str]
    role_stems: tuple[str, ...]  # longest first; empty: a role is the word itself (English)
    stop_caps: frozenset[str]
    title_words: frozenset[str]
    particles: frozenset[str]
    abbreviations: frozenset[str]
    function_words: frozenset[str] = frozenset()
    # Verbs that put a label in someone's mouth: "Trump called the media "fake news"" quotes
    # Trump even when the speaker is not resolved, so such a phrase stays quoted.
    label_words: frozenset[str] = frozenset()
    # The accusing verbs among them: a cue only right before the quote ("accused Bill
    # Clinton of rape — ... — about the supposed “due process”" is the author's phrase)
    accuse_words: frozenset[str] = frozenset()
    head_cues: frozenset[str] = frozenset()  # `_Table.head_according`
    # Pronouns that may stand for an organisation ("they", "sie"); "he" / "il" never do.
    plural_pronouns: frozenset[str] = frozenset()
    dialogue: bool = False  # paragraphs of dash dialogue carry direct speech
    inflected: bool = False  # names change with case: "Tuska" is "Tusk"
    sentence_det: re.Pattern[str] | None = None  # what may open a sentence before its subject
    # A capitalised genitive that completes a title ("президент Турции", "klubu Lewicy"),
    # not part of the name after it; and the first names of that form that are names.
    genitive_title: re.Pattern[str] | None = None
    genitive_names: frozenset[str] = frozenset()
    # Whom a speaker spoke to, next to the speaker after the verb ("заявил журналистам
    # министр", "powiedział Jan Kowalski PAP"): never part of the speaker.
    addressees: frozenset[str] = frozenset()
    complementizers: frozenset[str] = frozenset({"that"})  # "said that", "a dit que"
    outlets: frozenset[str] = frozenset()  # addressees followed by a name: "portalowi Verificat"
    # "Борис Ковалев в разговоре с корреспондентом газеты ВЗГЛЯД отметил": an interview
    # between the subject and its verb, ending right before the verb; its outlet is not
    # who speaks.
    interview: re.Pattern[str] | None = None
    # ... or where it was said, between a speech verb and its speaker: "powiedział w rozmowie
    # z Interią minister zdrowia Adam Niedzielski" (`_mention_of_span` trims it)
    speaker_lead: re.Pattern[str] | None = None
    # the subject with when or where they spoke before the verb ("Andrzej Duda w swoim orędziu
    # powiedział, że"), tried when `subject` finds no one
    subject_between: re.Pattern[str] | None = None
    drop_subject: bool = False  # a speech verb may stand without its subject (it, pl, ru)
    relative_words: frozenset[str] = frozenset()  # "che", "qui", "który": a relative's subject
    # Outside English: whether a quote's sentence names speech before it ("cued"), tested on
    # whole verbs and "according to" phrases. ``cue_words`` also holds the single words of
    # those phrases ("nach Angaben von", "a detta di", "по словам") and of "as X said"
    # ("wie", "come", "как"): cheap filters before a regex, but present in nearly every
    # sentence, so as a cue they kept scare quotes ("unter dem Vorwand von „Sanktionen“")
    # quoted.
    cue_phrase: re.Pattern[str] | None = None
    # Right after a quote, an attribution to someone new and unnamed: "," wrote one of the
    # commenters", "— написал один из комментаторов" (group "d"), "," one commenter wrote"
    # (group "e"). Such a quote is nobody's the article names, not the previous speaker's.
    someone: re.Pattern[str] | None = None
    # A verb, then its speaker, then the comma of a participle continuing the speaker's
    # sentence: "заявил и генпрокурор США Меррик Гарланд, отметив, что ..." (group "b")
    verb_subject: re.Pattern[str] | None = None
    # The verb and speaker of a sentence saying who said the one before, for verbs that
    # report only there ("С таким мнением выступил X"; see `_said_this_speaker`)
    said_post: re.Pattern[str] | None = None
    # Verbs that name someone or something ("назвал", "nannte", "ha definito"): what follows
    # them up to the next comma is the namer's words (see `naming`)
    naming: re.Pattern[str] | None = None
    naming_words: frozenset[str] = frozenset()


def _someone_pattern(someone: str, verb_after: str, verb_before: str) -> re.Pattern[str]:
    """`_Grammar.someone`: the verb, then the speaker to the sentence's end ("wrote one of
    the commenters."), or the speaker, then the verb ("one commenter wrote")."""
    words = r"[^,;.!?…\n«»„“”\"]{0,60}?"
    return re.compile(
        rf"\s*[,;]?\s*[-–—]?\s*(?:{verb_after}\s+(?P<d>(?i:{someone})\s{words})\s*(?=[,;.!?…]|$)"
        rf"|(?P<e>(?i:{someone})\s{words})\s+{verb_before})"
    )


_ENGLISH = _Grammar(
    lang="en",
    post=_POST,
    pre=_PRE,
    tail=_TAIL,
    head=_HEAD,
    that=_THAT,
    bare=_BARE,
    colon=_COLON,
    paren=_PAREN,
    subject=_SUBJECT,
    subject_verb=_SUBJECT_VERB,
    role_word=_ROLE_WORD,
    titled=None,
    named=None,
    inverted_subject=None,
    pron_full=_PRON_FULL,
    desc_full=_DESC_FULL,
    run_full=_RUN_FULL,
    conn_full=_CONN_FULL,
    participle_full=_PARTICIPLE_FULL,
    speech_tail=_SPEECH_TAIL,
    sentence_end=_SENTENCE_END,
    cue_words=frozenset(_CUE_WORDS),
    someone=_someone_pattern(
        "one|another|a|an|some", rf"(?:{_VERBS})", rf"(?:{_AUX}\s+)*(?:{_VERBS})\b"
    ),
    head_words=frozenset({"according"}),
    that_words=frozenset({"that"}),
    bare_words=frozenset(_BARE_WORDS),
    aux_words=frozenset(_AUX_WORDS),
    subject_ends=frozenset(_SUBJECT_ENDS),
    person_roles=frozenset(_PERSON_ROLES),
    role_stems=(),
    stop_caps=frozenset(_STOP_CAPS),
    title_words=frozenset(_TITLE_WORDS),
    particles=frozenset(_PARTICLES),
    abbreviations=frozenset(_ABBREVIATIONS),
    label_words=frozenset(
        """
        call calls called calling dub dubs dubbed label labels labelled labeled term terms
        termed brand brands branded describe describes described describing refer refers
        referred referring accuse accuses accused
        """.split()
    ),
    accuse_words=frozenset("accuse accuses accused".split()),
    plural_pronouns=frozenset({"they", "them"}),
)


@dataclass(frozen=True)
class _Table:
    """The words of one language's news reporting, from which :func:`_build` makes patterns.

    Every field is a whitespace-separated list; inside an item "_" stands for a space, and an
    item may use regex syntax (``qu['’]``). Role entries are stems: ``role_suffix`` adds the
    endings, ``role_prefix`` the first part of a compound (German "Regierungssprecher").
    """

    verbs: str  # finite speech verbs, and the participles that follow an auxiliary
    participles: str = ""  # "..., ajoutant que": a participle continuing the speaker's clause
    post_verbs: str = ""  # only right after a quote or clause ("so" in German)
    aux: str = ""  # words between a subject and its verb (a, hat, ha, też, также)
    according: str = ""  # "according to X"
    according_after: str = ""  # the same after its speaker: "X zufolge"
    pronouns_after: str = ""  # words that open no name before ``according_after``
    pron_according: str = ""  # "according to him", with {p} where the pronoun stands
    # the same, read only where it opens a sentence: mid-sentence "che, a suo dire, ..." would
    # make the words before it the reported ones
    pron_head: str = ""
    as_said: str = ""  # "as X said, CLAUSE": the word before verb and speaker (comme l'a, jak)
    # words of "according to" that count only opening a sentence, with a comma after the
    # speaker, and cue no quote ("pour" is mostly "for": "pour son « espace vital »")
    head_according: str = ""
    inverted: str = ""  # a pronoun inside the verb (a-t-il dit): {verbs}, groups e and f
    pron_elided: str = ""  # words joined to a subject pronoun by ' (qu'il); all of one length
    that: str = ""  # complementizers (que, dass)
    relatives: str = ""  # "Trotsky che scrive: «...»": a relative pronoun before the verb
    pronouns: str = ""
    determiners: str = ""
    elided: str = ""  # determiners joined by an apostrophe (l', un')
    person_roles: str = ""
    other_roles: str = ""
    role_prefix: str = ""
    role_suffix: str = ""
    of_words: str = ""  # what links a role to its institution (des, del); "'" ends elided ones
    post_adjectives: int = 0  # lower-case words a role may take after it ("ministre russe")
    verb_second: bool = False  # German word order: "Am Montag sagte Scholz, ..."
    head_comma_optional: bool = False  # "Laut Scholz ist ...", "Według Tuska sankcje ..."
    # lower-case articles before a name after the verb: "spiega il Giornale", "écrit le Figaro"
    name_articles: str = ""
    capitalised_nouns: bool = False  # German: every noun of "des Auswärtigen Amtes" has a capital
    function: str = ""  # words never inside a description
    nothing: str = ""  # "said nothing": no clause follows
    stop_caps: str = ""
    title_words: str = ""  # words of a title rather than a name, beyond the roles
    # Endings (a regex over the lower-case word) of the capitalised genitives that complete a
    # title: a country or a party before the name ("президент Турции Эрдоган"), and the first
    # names with such an ending ("Марии", "Julii"), which stay names.
    genitive_endings: str = ""
    genitive_names: str = ""
    addressees: str = ""  # whom one speaks to, in the dative, or an agency (PAP, ТАСС)
    outlets: str = ""  # those of them that a name follows ("agencji Reutera", "газете ВЗГЛЯД")
    named_outlets: str = ""  # the same, always with the outlet's name after ("al Corsera")
    interviews: str = ""  # "в разговоре с", "w rozmowie z": "_" joins a phrase's words
    # Nouns for a medium before its name in quotes ("еженедельник «Эспрессо»"): only there,
    # as outlets taken for roles elsewhere took their journalists' words
    media: str = ""
    particles: str = ""
    abbreviations: str = ""
    bare: str = ""  # verbs taking a clause after a comma without complementizer (sagte, ...)
    bare_separable: str = ""  # the same, split from their particle: "teilte:mit"
    labels: str = ""  # verbs that put a label in someone's mouth (qualifié, nannte, назвал)
    # verbs of accusing, read like labels ("accusato il governo di «...»"; French has them
    # among its speech verbs)
    accusations: str = ""
    plural_pronouns: str = ""  # those of ``pronouns`` that may stand for an organisation
    not_a_clause: str = ""
    drop_subject: bool = False
    # Words that make a speaker someone new and unnamed: "— написал один из комментаторов"
    someone: str = ""
    dialogue: bool = False
    inflected: bool = False
    # When, between a verb after the quote and its speaker: "a déclaré lundi Emmanuel
    # Macron", "заявил в понедельник Сергей Лавров" (news word order outside English)
    when: str = ""
    # Prepositions of where something was said, after "as X said": "Как пишет Гахария в
    # Twitter, ...", "Jak dodał Donald Tusk w Jaktorowie, ..."
    where: str = ""
    # Verbs that say who said the sentence before only after a lead of `_SAID_THIS`: "С
    # таким мнением выступил X" (elsewhere "выступил" is not speech)
    said_verbs: str = ""
    # The verbs of ``labels`` that name ("назвал", not "говорит"): "X назвал Y Z" reports Z
    # as X's words (an active verb with its subject before it). Past forms only in Polish
    # and Russian ("Севморпуть называют ...": the present is mostly impersonal); none in
    # German, where "nannte" as often mentions ("Moskau nannte keinen Zeitplan").
    naming: str = ""


def _items(words: str) -> list[str]:
    return [w.replace("_", r"\s+") for w in words.split()]


def _alt(words: str) -> str:
    """A regex alternation of the items, longest first; never matches when empty."""
    items = sorted(set(_items(words)), key=len, reverse=True)
    return "(?:" + "|".join(items) + ")" if items else r"(?!x)x"


def _past(words: str, *endings: str) -> str:
    """Slavic past tenses: each masculine form ("сказал", "dodał") with the given endings."""
    out = []
    for word in words.split():
        out.append(word)
        if word[-1] in "лł":
            out.extend(word + e for e in endings)
        elif word.endswith("лся"):  # reflexive: "высказался" -> "высказалась", "высказались"
            out.extend(word[:-2] + e + "сь" for e in endings)
    return " ".join(out)


def _plain_words(*fields: str) -> frozenset[str]:
    """The lower-case words of table fields, as cheap tests before the regexes."""
    return frozenset(w.lower() for f in fields for w in re.findall(r"[^\W\d_]+", f))


def _cue_words(*fields: str) -> frozenset[str]:
    """The words whose presence sends a sentence to the speech patterns: those of
    `_plain_words`, but of a phrase ("nie_ma_wątpliwości") only its last longest word, so
    that "nie" does not send every sentence there."""
    words = set()
    for item in (item for f in fields for item in f.split()):
        found = re.findall(r"[^\W\d_]+", item)
        if "_" in item and found:
            longest = max(map(len, found))
            found = [[w for w in found if len(w) == longest][-1]]
        words.update(w.lower() for w in found)
    return frozenset(words)


_MARKS_IN_WORDS = '\\s,;:!?"“”„«».'


def _upper_class(*ranges: tuple[int, int]) -> str:
    """A character class of the capitals in ``ranges``, runs written as ranges (short)."""
    chars = [c for lo, hi in ranges for c in range(lo, hi + 1) if chr(c).isupper()]
    parts, k = [], 0
    while k < len(chars):
        j = k
        while j + 1 < len(chars) and chars[j + 1] == chars[j] + 1:
            j += 1
        first, last = re.escape(chr(chars[k])), re.escape(chr(chars[j]))
        parts.append(first if j == k else f"{first}-{last}")
        k = j + 1
    return "[" + "".join(parts) + "]"


# The capitals of the five languages' scripts (Latin with its extensions, Cyrillic): a class
# much shorter than _UPPER, which keeps the compiled patterns small and quick to build.
_HONORIFICS = {
    "pl": r"pan|pani|państwo|prof\.|dr\.?|dr\s+hab\.|ks\.|mec\.",
    "ru": "господин|госпожа|профессор",
}
_UPPER_EU = _upper_class((0x41, 0x17F), (0x400, 0x42F))


# Words saying to or with whom one spoke, which a role's complement does not run on to
_TO_WHOM = "à|au|aux|zu|zum|zur|mit|gegenüber|to|with|a|ad|do|z|ze|к|с|со|перед"


def _build(lang: str, t: _Table) -> _Grammar:
    """Compile the patterns of a language from its table (same shapes as the English ones)."""
    verbs = _alt(t.verbs)
    post_verbs = _alt(t.verbs + " " + t.post_verbs)
    participles = _alt(t.participles)
    aux = _alt(t.aux)
    according = _alt(t.according)
    function = _alt(t.function)
    that = _alt(t.that)
    upper = _UPPER_EU
    token = rf"(?:(?:{upper}\.){{2,}}|{upper}\w{{0,2}}\.(?=\s+{upper})|{upper}\w*(?:[’'\-]\w+)*)"
    adj = rf"(?!{function}\b)[^\W\d_][\w’'\-]*"
    low = rf"(?!{function}\b)(?!{upper})[^\W\d_][\w’'\-]*"
    roles = (
        t.role_prefix + r"(?:\w+-)?" + _alt(t.person_roles + " " + t.other_roles) + t.role_suffix
    )
    det = ""
    if t.determiners or t.elided:
        det = rf"(?:(?i:{_alt(t.determiners)})\s+|(?i:{_alt(t.elided)})['’])?"
    spaced = [w for w in _items(t.of_words) if not w.endswith("'")]
    elided = [w[:-1] for w in _items(t.of_words) if w.endswith("'")]
    link = rf"\s+(?i:{'|'.join(spaced) or '(?!x)x'})\s+"
    if elided:
        link = rf"(?:{link}|\s+(?i:{'|'.join(elided)})['’])"
    # a role's adjectives and complements, not an adverb after it ("Эксперт также отметил",
    # "Politolog również powiedział": not the speaker "Эксперт также")
    not_aux = rf"(?!(?i:{_alt(t.aux)})\b)" if t.aux else ""
    complement = rf"(?:\s+{not_aux}{low}){{0,{t.post_adjectives}}}"
    if spaced:
        words = adj if t.capitalised_nouns else low  # "des Auswärtigen Amtes"
        # an institution's name joined by particles ("del Corriere della Sera"); without
        # one, capitals after the role are its name ("ministro degli Esteri Antonio Tajani")
        joined = rf"{upper}\w*(?:[^\S\r\n]+(?i:{_alt(t.particles)})[^\S\r\n]+{upper}\w*)+"
        complement += rf"(?:{link}(?:{joined}|{adj}(?:\s+{words}){{0,2}}))?"
    else:  # Slavic genitives need no preposition: "rzecznik MSZ", "министр иностранных дел"
        complement = rf"(?:\s+(?:{not_aux}{low}|{upper}{{2,}}\b)){{0,{max(t.post_adjectives, 3)}}}"
    # Adjectives before a role are lower-case but for the first ("Le Premier ministre"), so
    # that a name is not read as adjectives of a role word in it ("Bruno Le Maire").
    desc = rf"{det}(?:{adj}\s+)??(?:{low}\s+){{0,2}}?(?i:{roles})\b{complement}"
    desc_short = rf"{det}(?:{adj}\s+){{0,2}}?(?i:{roles})\b"
    pron = rf"(?i:{_alt(t.pronouns)})\b"
    particles = _alt(t.particles)
    conn = rf"(?:{particles}|-|–|—)"
    sp = r"[^\S\r\n]+"  # a name never spans two paragraphs
    run = rf"(?:{particles}{sp}){{0,2}}{token}(?:{sp}(?:{conn}{sp})*{token})*"
    # before a name in commas, a role's complement may run on to the comma ("La capogruppo di
    # Sinistra Unita alla Camera, Giulia Santoro, ha accusato")
    desc_appos = rf"{det}(?:{adj}\s+)??(?:{low}\s+){{0,2}}?(?i:{roles})\b[^,\"“”«»„\r\n]{{0,60}}?"
    # ... within its sentence, after the verb ("a affirmé le porte-parole du Kremlin Dmitri
    # Peskov. Dans le même temps, Dmitri Medvedev, ...": not Medvedev)
    desc_appos_after = (
        rf"{det}(?:{adj}\s+)??(?:{low}\s+){{0,2}}?(?i:{roles})\b"
        # ... but not on to whom they spoke ("a répondu le ministre à la députée, Marine Le
        # Pen", "sagte der Kanzler zu seinem Amtskollegen, Emmanuel Macron")
        rf"(?:(?!\s(?i:{_TO_WHOM})\s)[^,.;:!?…\"“”«»„\r\n]){{0,60}}?"
    )
    spk = rf"(?<![\w’'\-])(?:{pron}|{desc_appos},\s+{run},(?=\s)|{desc}(?:\s+{run})?|{run})"
    if lang in _HONORIFICS:  # "Według dr. Sławomira Dudka", "prof. Jan Nowak powiedział"
        spk = rf"(?:(?<![\w’'\-])(?i:{_HONORIFICS[lang]}){sp}{run}|{spk})"
    if t.pron_elided:  # "l'opposition, qu'il accuse de « ... »": il is the subject
        spk = rf"(?:{spk}|(?<=(?i:{_alt(t.pron_elided)})['’]){pron})"
    # "Laut Senatssprecher Oliver Brandes sind ...": a role, then its name
    spk_short = rf"(?<![\w’'\-])(?:{pron}|{desc_short}(?:{sp}{run})?|{run})"
    if lang in _HONORIFICS:
        spk_short = rf"(?:(?<![\w’'\-])(?i:{_HONORIFICS[lang]}){sp}{run}|{spk_short})"
    # where the speaker works, between the name and the verb: Polish "Jan Kaczmarek z
    # Politechniki Krakowskiej ostrzegł, że ..." (de/fr/it take "von", "de", "di" into the name)
    # ("Poseł Krzysztof Nowicki z klubu Wspólna Przyszłość nazwał": one common noun first)
    workplace = (
        rf"(?:{sp}(?:z|ze){sp}(?:(?!{upper})[^\W\d_][\w’'\-]*{sp})?"
        rf"{upper}[\w’'\-]*(?:{sp}{upper}[\w’'\-]*){{0,3}})?"
        if lang == "pl"
        else ""
    )
    # when or where they spoke, between the subject and the verb: "Владимир Зеленский в своем
    # последнем видеообращении заявил, что ...", "Andrzej Duda w poniedziałek powiedział, że",
    # "Giorgia Meloni nel suo ultimo videomessaggio ha detto che" (French and German put it
    # after the verb or between commas, English too)
    lower = rf"(?!{upper})[^\W\d_][\w’'\-]*"
    between = (
        rf"{sp}(?:(?i:{_alt(t.when)})|(?-i:{_alt(t.where)}){sp}(?:{lower}{sp}){{0,3}}{lower})"
        if lang in ("it", "pl", "ru") and t.where
        else ""
    )
    # The speaker after a verb ("le porte-parole", "premier Donald Tusk", "er"). First an
    # appositive name ("a martelé la maire de Paris, Anne Hidalgo."); then a description not
    # followed by a name, kept whole by the atomic group ("il ministro" is not the speaker of
    # "il ministro degli Esteri Antonio Tajani"); then a name with or without its title.
    after = (
        # (a party in brackets after the name: "a lancé le maire, Gérard Lefébvre (divers
        # droite), sous les sifflets")
        # (a role's complement may run on to the comma: "ha dichiarato la capogruppo di
        # Alleanza Democratica alla Camera, Elena Mastrangelo.")
        rf"{desc_appos_after},\s+{run}(?=(?:\s*\([^()\r\n]{{1,40}}\))?\s*(?:[.,;:!?…]|$))"
        rf"|(?>{desc})(?![\w’'\-])(?!\s+{token})|(?:{desc}\s+)?{run}|{pron}"
    )
    if lang in _HONORIFICS:  # "powiedziała pani Halina, emerytka z Nowej Huty."
        after += rf"|(?:{_HONORIFICS[lang]}){sp}{run}"
    if lang == "ru":  # a role no list holds, in lower case, before a full name in the
        # nominative: "— сказала 64-летняя пенсионерка Галина Сорокина, пришедшая ..."
        # (`_mention` keeps the name; not "в комментарии Царьграду Затулин", a dative; in
        # Polish an unknown first name took the words of a woman quoted after him)
        after += (
            rf"|(?:(?!(?:{_RU_PREPOSITIONS})\s)(?:\d+-)?{lower}{sp}){{1,2}}"
            rf"(?![\w-]*(?:у|ю|е|ом|ой)\s){token}{sp}{token}(?=\s*[.,;:!?…]|\s*$)"
        )
    if t.capitalised_nouns:  # "„…“, teilte der GdW mit", "…, so die Erzdiözese": a body
        after += rf"|(?-i:{_alt(t.determiners)})\s+{run}(?=\s+mit\b|\s*[.,;:!?…]|\s*$)"
    # a name in quotes where the sentence ends: "– napisał „The Times”", "сообщает
    # «Коммерсант»" (an outlet or a body, whose name is written in quotes)
    media = rf"|(?i:{_alt(t.media)})" if t.media else ""
    after += rf"|(?:(?:{desc}{media})\s+)?[„“«\"]{run}[”“»\"](?=\s*[.,;:!?…]|\s*$)"
    if t.media:  # ... or without quotes, where the sentence ends: "– informuje agencja Jiji
        # Press.", "сообщает агентство Bloomberg."
        after += rf"|(?i:{_alt(t.media)})\s+{run}(?=\s*[.,;:!?…]|\s*$)"
    if t.name_articles:  # the sentence ends at the name: "spiega il Giornale, ...", not
        # "spiega il Giornale di Milano che"
        after += rf"|(?-i:{_alt(t.name_articles)})\s+{run}(?=\s*[.,;:!?…]|\s*$)"
        # ... wherever it ends when the name is an acronym: "ha denunciato il FLNC in un
        # comunicato" (a body; "il Giornale di Milano che" is a paper's and not matched)
        after += rf"|(?-i:{_alt(t.name_articles)})\s+{upper}{{2,}}(?![\w’'\-])"
    interviews = "|".join(w.replace("_", r"[ \t]+") for w in t.interviews.split())
    # Between a verb and its speaker, an interview or where it was said: a name of one or two
    # words, then a role or a full name ("w rozmowie z Interią minister zdrowia Adam
    # Niedzielski", "в беседе с РИА Новости глава МИД Сергей Лавров", "a déclaré sur Twitter
    # le sénateur ...", "заявил в Telegram сенатор ..."; not "na antenie Polsat News.", which
    # names no one). Not "a" / "à", which also say to whom ("ha detto a Luigi Di Maio").
    partner = rf"(?:{token}\s+){{1,2}}(?=(?!{upper})[^\W\d_]|{token}\s+{token})"
    places = " ".join(w for w in t.where.split() if w not in ("a", "à"))
    leads = ([rf"(?i:{interviews})"] if interviews else []) + ([_alt(places)] if places else [])
    speaker_lead = rf"(?:{'|'.join(leads)})[ \t]+{partner}" if leads else ""
    if t.addressees or t.named_outlets or speaker_lead:  # "заявил РИА Новости глава МИД
        # Сергей Лавров": `_mention` trims them
        to = "|".join(
            ([rf"(?i:{_alt(t.addressees)})\s+"] if t.addressees else [])
            + ([rf"(?i:{_alt(t.outlets)})\s+(?:{token}\s+)?"] if t.outlets else [])
            # "al Corsera": a name must follow, or "chiesto a Pechino" names Beijing
            + ([rf"(?-i:{_alt(t.named_outlets)})\s+{token}\s+"] if t.named_outlets else [])
            + ([speaker_lead] if speaker_lead else [])
        )
        after = rf"(?:{to}){{0,2}}(?:{after})"
        if t.addressees:  # "– oznajmiła dziennikarzom.": whom she told; the verb's own
            # subject speaks (but "– podaje PAP.", an agency, does)
            after = rf"(?!(?-i:{_alt(t.addressees)})\s*(?:[.,;:!?…]|$)){after}"
    nothing = rf"(?!\s+(?i:{_alt(t.nothing)})\b)" if t.nothing else ""
    obj = rf"{nothing}(?:\s+[^{_MARKS_IN_WORDS}]+){{0,8}}?"
    # Case-blind: a verb opens the sentence in "Scrive Giubilei: «...»", "Dazu sagte er".
    verb_seq = rf"(?i:(?:{aux}\s+)*(?:{verbs}))\b"
    post_seq = rf"(?i:(?:{aux}\s+)*(?:{post_verbs}))\b"
    # ... and after it, before the speaker: "sagte denn auch Edi Rama", "ha detto anche"
    post_seq_aux = rf"{post_seq}(?i:\s+(?:{aux}))*"
    if t.when:
        post_seq_aux += rf"(?i:\s+{_alt(t.when)}\b)?"
    inverted = t.inverted.format(verbs=verbs) if t.inverted else r"(?!x)x"

    def pron_according(group: str, forms: str = t.pron_according) -> str:
        if not forms:
            return r"(?!x)x"
        form = forms.format(p=rf"(?P<{group}>{pron})").replace("_", r"\s+")
        return rf"(?i:{form})"

    # not before a quote mark: "– podsumowuje „Sueddeutsche Zeitung”" names a newspaper
    dropped_verb = rf"(?P<d>{post_seq})(?!\s*[\"{_OPEN_GLYPHS}])" if t.drop_subject else ""
    dropped = f"|{dropped_verb}" if dropped_verb else ""
    relative = rf"(?:,?\s+(?i:{_alt(t.relatives)}))?" if t.relatives else ""
    as_said = _alt(t.as_said)
    post = (
        rf"\s*[,;]?\s*[-–—]?\s*(?:\(?(?i:{according})\s+(?P<a>{spk})|{pron_according('g')}"
        rf"|{inverted}|{post_seq_aux}\s+(?P<b>{after})|(?P<c>{spk}){_APPOS}\s+{verb_seq}"
        # a verb right after the quote has it as subject ("„SZ” wskazuje"), not a dropped one
        + (
            rf"|(?:(?<=[,;\-–—])|(?<=[,;\-–—]\s)|(?<=[,;][\"”»’]\s)){dropped_verb}"
            if dropped_verb
            else ""
        )
        + ")"
    )
    pre = (
        rf"(?:(?P<a>{spk}){_APPOS}{relative}\s+{verb_seq}{obj}(?:,\s+{participles})?"
        rf"|(?i:{according})\s+(?P<b>{spk})|{pron_according('g')}"
        # "– riferiscono fonti interne – “...”": set off by dashes before the quote
        rf"|{verb_seq}\s+(?P<c>{after}){obj})\s*(?:[:,]|\s[–—])?\s*(?:{that}\s*)?$"
    )
    # What may follow the speaker at the end of a sentence: ", a spokesman, ..." or a few
    # words of place and time ("sagte Scholz am Montag in Berlin").
    word = rf"[^{_MARKS_IN_WORDS}]+"
    adverbial = rf"(?:\s*,[^,]{{1,80}}|\s+(?!{upper}){word}(?:\s+{word}){{0,6}})?"
    tail = (
        rf"(?:,\s*[-–—]?|\s[-–—])\s*(?:(?P<a>{spk}){_APPOS}\s+{verb_seq}{obj}"
        rf"|{post_seq_aux}\s+(?P<b>{after}){adverbial}|{inverted}"
        rf"|(?i:{according})\s+(?P<c>{spk}){adverbial}|{pron_according('g')}"
        rf"|(?i:{as_said})\s+{verb_seq}\s+(?P<j>{after}){adverbial}{dropped})"
        r"\s*[.!?…]*[\s\"”’»“«)]*$"
    )
    head_words = f"{according}|{_alt(t.head_according)}" if t.head_according else according
    head = (
        rf"\s*(?:(?:(?i:{head_words})\s+(?P<a>{spk})|{pron_according('g')}"
        rf"|{pron_according('o', t.pron_head)}"
        rf"|(?i:{as_said})\s+{verb_seq}\s+(?P<c>{after})"
        rf"|(?i:{as_said})\s+(?P<i>{spk})\s+{verb_seq}"
        # "Jak dodał, ...": the subject dropped, a pronoun at a past-tense verb, whose
        # ending tells the speaker's gender ("Jak ocenia," may be a newspaper's)
        + (rf"|(?i:{as_said})\s+(?P<d>{verb_seq}){_PAST_ENDING}" if t.drop_subject else "")
        # ... and in the present ("Jak twierdzi, ...", group "u"): the person who opened the
        # sentence before, if any (`_reported_sentence`), for it tells no gender
        + (rf"|(?i:{as_said})\s+(?P<u>{verb_seq})" if t.drop_subject else "")
        # where it was said, before the comma: "Как пишет Гахария в Twitter, ..."
        + rf")(?:\s+(?-i:{_alt(t.where)})\s+[\w’'\-]+(?:\s+[\w’'\-]+){{0,2}})?"
        # (the comma may close an apposition: "Secondo il ministro, Luca Romano, le ...")
        + r"(?:(?<=,)|\s*,)\s*"
        + (
            rf"|(?:(?i:{according})\s+(?P<h>{spk_short})|{pron_according('k')})\s+(?=[^\W\d_])"
            if t.head_comma_optional
            else ""
        )
        # "Falkenhahn zufolge seien ...": the word after its speaker, a name (not "Ihm",
        # "Seinen Worten", "Den Worten Kissingers"; "Berichten" see `_reported_sentence`)
        + (
            rf"|(?!(?i:{_alt(t.pronouns_after)})\b)(?P<z>{run})\s+(?i:{_alt(t.according_after)})"
            r"\s*,?\s+(?=[^\W\d_])"
            if t.according_after
            else ""
        )
        + ")"
    )
    that_re = (
        rf"(?<![\w-])(?P<verb>(?i:{verbs})|{participles})\b"
        # ("ha aggiunto che, se non si interviene, «...»": a comma may follow "che")
        # (not "a confirmé ce que tout le monde savait", "ha confermato ciò che": what, not that)
        rf"(?:\s+(?!{that}\b)[^{_MARKS_IN_WORDS}]+){{0,9}}?\s*,?\s+(?<!\b[Cc]e\s)(?<!\b[Cc]iò\s){that}"
        r"(?:,?\s+|(?<=['’]))"
    )
    # "sagte Scholz, ...", "behauptete er einfach, ..." (an adverb or two after the subject)
    adverb = rf"(?!(?i:{_alt(t.nothing)})\b){low}" if t.nothing else low  # not "sagte er nichts"
    inverted_name = rf"(?:{sp}(?:{after})(?:{sp}{adverb}){{0,2}})?" if t.verb_second else ""
    bare_verb, particle_tail = _alt(t.bare), ""
    if t.bare_separable:  # "teilte in einer Pressemitteilung mit, man habe ...": a verb
        # whose particle comes a few words later, then the comma
        pairs = [pair.split(":") for pair in t.bare_separable.split()]
        gap = r"(?:\s+[^\s,;:!?\"„“»«.]+){0,6}?\s+"
        bare_verb += "|" + "|".join(rf"{v}(?={gap}{p}\s*,)" for v, p in pairs)
        particle_tail = rf"(?:{gap}(?:{'|'.join(sorted({p for _, p in pairs}))}))?"
    bare = (
        rf"(?<![\w-])(?P<verb>{bare_verb}){inverted_name}{particle_tail}\s*,\s+"
        rf"(?!{_alt(t.not_a_clause)}\b)(?=[^\W\d_])"
    )
    # a separable verb's particle after the speaker: ", fügte Sander hinzu, ...", ", so der
    # Minister weiter, ..."
    particle = r"(?:\s+(?:hinzu|weiter|an|fest|ein))?" if lang == "de" else ""
    inserted = (
        rf"(?:(?P<a>{spk})\s+{verb_seq}|{post_seq}\s+(?P<b>{after}){particle}|{inverted}"
        rf"|(?i:{according})\s+(?P<c>{spk})|{pron_according('g')})"
    )
    # ", dice il generale, " or between dashes: "Un timore – dice il generale - che ..."
    paren = (
        rf"(?:(?P<pc>,)\s*|[^\S\r\n][–—][^\S\r\n]*){inserted}"
        rf"(?(pc)\s*,\s+|[^\S\r\n]*[–—-][^\S\r\n]+)"
    )
    person = _items(t.person_roles)
    stems = tuple(sorted(person + _items(t.other_roles), key=len, reverse=True))
    return _Grammar(
        lang=lang,
        post=re.compile(post),
        pre=re.compile(pre),
        tail=re.compile(tail),
        head=re.compile(head),
        that=re.compile(that_re),
        bare=re.compile(bare),
        colon=re.compile(rf"(?<![\w-])(?P<verb>{verbs})\s*:\s+(?=[^\W\d_])"),
        paren=re.compile(paren),
        subject=re.compile(rf"(?P<a>{spk}){workplace}{_APPOS}\s+(?:{aux}\s+)*$"),
        subject_between=re.compile(rf"(?P<a>{spk}){workplace}{between}{_APPOS}\s+(?:{aux}\s+)*$")
        if between
        else None,
        subject_verb=re.compile(rf"(?P<a>{spk}){workplace}{_APPOS}\s+{verb_seq}"),
        role_word=re.compile(rf"(?<![\w-])(?i:{roles})\b"),
        named=re.compile(rf"(?:{desc},?\s+)?{run}"),
        inverted_subject=re.compile(rf"{sp}(?P<a>{after})(?=[\s,.:;])") if t.verb_second else None,
        # "Premier Donald Tusk", or the name as an appositive: "le ministre de l'Intérieur,
        # Jean Morel, a attaqué".
        # (the name in commas first: "Il sindaco di Punta Varno, Salvatore Lo Presti, ...")
        titled=re.compile(
            rf"(?<![\w-])(?i:{roles})\b(?:[^,\"“”«»„\r\n]{{0,60}}?,{sp}{run}(?=\s*,)"
            rf"|{complement}(?:\s+{run}|,{sp}{run}(?=\s*,)))"
        ),
        sentence_det=re.compile(rf"(?:{det})?"),
        pron_full=re.compile(pron),
        desc_full=re.compile(desc),
        run_full=re.compile(run),
        conn_full=re.compile(conn),
        participle_full=re.compile(participles),
        speech_tail=re.compile(rf"\s+(?:{verbs})$"),
        sentence_end=re.compile(r"[.!?…]+[\"”’»“«)\]]*(?=\s|$)"),
        cue_words=_cue_words(
            t.verbs,
            t.post_verbs,
            t.participles,
            t.according,
            t.pron_according,
            t.as_said,
        )
        # each of the head's nouns ("dire", "avviso"), not only the phrase's longest word
        | frozenset(w for w in _plain_words(t.pron_head) if len(w) > 3),
        head_words=None,
        that_words=None,
        bare_words=_plain_words(t.bare, re.sub(r":\w+", "", t.bare_separable)),  # verbs only
        # the words of each entry, but no subject pronoun that only a longer entry holds
        # ("quant_à_elle", "elle-même": popping "elle" lost "Elle a estimé que ...")
        aux_words=_plain_words(t.aux)
        - (_plain_words(t.pronouns) - {w.lower() for w in t.aux.split()}),
        subject_ends=_plain_words(t.pronouns),
        person_roles=frozenset(person),
        role_stems=stems,
        stop_caps=frozenset(t.stop_caps.split()),
        title_words=_plain_words(t.title_words),
        genitive_title=re.compile(rf"\w+(?:{t.genitive_endings})") if t.genitive_endings else None,
        genitive_names=_plain_words(t.genitive_names),
        addressees=_plain_words(t.addressees, t.outlets, t.named_outlets),
        complementizers=_plain_words(t.that),
        outlets=_plain_words(t.outlets, t.named_outlets),
        interview=re.compile(rf"\s(?i:{interviews})[ \t][^,.;:!?\n«»„“”\"]{{1,80}}$")
        if t.interviews
        else None,
        speaker_lead=re.compile(speaker_lead) if speaker_lead else None,
        drop_subject=t.drop_subject,
        relative_words=frozenset(w for w in t.relatives.split() if "_" not in w),
        cue_phrase=re.compile(
            rf"(?<![\w-])(?i:{verbs}|{participles}|{according}|{pron_according('p')}"
            rf"|{pron_according('q', t.pron_head)})(?![\w-])"
        ),
        someone=_someone_pattern(_alt(t.someone), post_seq_aux, verb_seq) if t.someone else None,
        said_post=re.compile(rf"\s+(?i:{_alt(t.said_verbs)})\s+(?P<b>{after})")
        if t.said_verbs
        else None,
        verb_subject=re.compile(
            rf"(?<![\w-]){post_seq_aux}(?:\s+(?i:{_alt(_ALSO)}))?\s+(?P<b>{after})\s*,\s*$"
        )
        if t.participles
        else None,
        particles=frozenset(t.particles.split()),
        abbreviations=frozenset(t.abbreviations.split()),
        function_words=frozenset(w for w in t.function.split() if w.isalpha()),
        label_words=_plain_words(t.labels, t.accusations),
        accuse_words=_plain_words(t.accusations),
        naming=re.compile(rf"(?<![\w-])(?P<verb>(?i:{_alt(t.naming)}))(?![\w-])")
        if t.naming
        else None,
        naming_words=_plain_words(t.naming),
        head_cues=_plain_words(t.head_according),
        plural_pronouns=_plain_words(t.plural_pronouns),
        dialogue=t.dialogue,
        inflected=t.inflected,
    )


# "also" between a verb and the speaker after it ("заявил и генпрокурор", "a déclaré aussi")
_ALSO = "и также тоже też także również aussi également auch ebenfalls anche pure"

# Polish and Russian past tenses end in the speaker's gender: dodał / dodała, сказал / сказала
_PAST_ENDING = "".join(["(?:", "|".join(f"(?<={e})" for e in "ł ła li ły л ла ли".split()), ")"])


_FRENCH = _Table(
    labels="""
        appelle appellent appelé appelée appelés appelées qualifie qualifient qualifié
        qualifiée qualifiés qualifiées traite traitent traité traitée traités surnommé
        surnommée baptisé baptisée décrit décrite décrivent parle parlent parlé qualifiant
        juge jugent jugeait jugeaient jugé jugée jugés jugées
    """,
    verbs="""
        dit disent déclare déclarent déclaré déclara affirme affirment affirmé affirma ajoute
        ajoutent ajouté ajouta explique expliquent expliqué souligne soulignent souligné estime
        estiment estimé assure assurent assuré indique indiquent indiqué précise précisent
        précisé insiste insisté rappelle rappellent rappelé avertit averti prévient prévenu
        martèle martelé lance lancé confie confié reconnaît reconnu dénonce dénoncé déplore
        déploré répond répondu réplique répliqué poursuit poursuivi conclut conclu écrit
        écrivent raconte raconté commente commenté observe observé note noté juge jugé regrette
        regretté annonce annoncé admet admis soutient soutenu répète répété tweeté ironise
        ironisé fustige fustigé déclarait affirmait expliquait demande demandé interroge
        interrogé souligne soutenu accuse accusent accusé accusait analyse analysé résume
        résumé détaille détaillé glisse glissé lâche lâché souffle soufflé tranche tranché
        nuance nuancé abonde abondé tacle taclé confirme confirment confirmé disait
        disaient constate constatent constaté détaillait soulignait précisait ajoutait
        assurait insistait soupire soupiré renchérit renchéri assène asséné cingle cinglé
        plaide plaidé s['’]insurge s['’]indigne s['’]agace s['’]emporte
        s['’]étonne s['’]alarme s['’]inquiète s['’]exclame promet promis
    """,
    participles="ajoutant soulignant estimant affirmant expliquant précisant rappelant "
    "insistant assurant martelant indiquant déclarant jugeant dénonçant",
    aux="""
        a ont avait avaient aurait auraient eut eurent aura auront également aussi encore
        ensuite notamment
        alors déjà pourtant enfin toutefois cependant lui-même elle-même d['’]ailleurs
        pour_sa_part de_son_côté quant_à_lui quant_à_elle
        lui leur
    """,
    according="selon d['’]après à_en_croire",
    head_according="pour",  # "Pour Marine Le Pen, ...": only opening a sentence
    as_said="comme_l['’] comme",
    inverted=r"(?:(?:a|avait|aurait)-t-(?P<e>il|elle|ils|elles)\s+{verbs}"
    r"|{verbs}-(?:t-)?(?P<f>il|elle|ils|elles))\b",
    pron_elided="qu",  # qu'il, lorsqu'il, puisqu'il
    that=r"que qu['’]",
    relatives="qui",
    someone="un une un_des une_des l['’]un l['’]une",
    where="sur dans à au lors devant",
    naming="qualifie qualifient qualifié",
    when="""
        (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?:_(?:matin|soir|après-midi|dernier))?
        hier(?:_soir|_matin)? aujourd['’]hui ce_matin ce_soir dans_la_soirée
        dans_la_matinée dans_l['’]après-midi
    """,
    pronouns="il elle ils elles lui eux",
    plural_pronouns="ils elles eux",
    determiners="le la les un une ce cet cette son sa ses leur",
    elided="l",
    person_roles="""
        ministre porte-parole préfet préfète président présidente ambassadeur ambassadrice
        diplomate dirigeant dirigeante chef cheffe responsable secrétaire directeur directrice
        conseiller conseillère député députée sénateur sénatrice maire général commandant procureur
        procureure gouverneur chancelier chancelière élu élue patron patronne représentant
        représentante envoyé envoyée commissaire leader premier_ministre politicien
        parlementaire eurodéputé eurodéputée interlocuteur interlocutrice magistrat magistrate
        syndicaliste pdg trentenaire quadragénaire quinquagénaire sexagénaire septuagénaire
        octogénaire
    """,
    other_roles="""
        ministres ministère gouvernement autorités source sources communiqué rapport agence
        experts expert observateurs analystes analyste témoins témoin habitants armée police
        ambassade diplomatie parquet institut association organisation ong fondation syndicat
        fédération étude sociologue politologue économiste historien historienne philosophe
        chercheur chercheuse spécialiste juriste avocat avocate médecin professeur professeure
        essayiste éditorialiste géographe démographe épidémiologiste virologue journaliste
        correspondant correspondante reporter
    """,
    role_suffix="(?:s)?",
    of_words="du des de_la de_l' de d' auprès_du auprès_de chargé_de chargée_de pour à",
    post_adjectives=2,
    function="""
        et ou mais que qu['’]\\w* qui dont où dans sur à au aux pour avec par en est était a ont
        avait avaient aurait auraient pas ne n['’] se s['’] il elle ils elles on nous vous je
        de du des le la les un une
        selon lors pendant après avant depuis devant lundi mardi mercredi jeudi vendredi
        samedi dimanche d['’]une d['’]un dit déclaré affirmé ajouté cette ce sous sans contre
        chez vers parmi entre malgré derrière durant envers face hors
    """,
    nothing="rien",
    stop_caps="""
        Le La Les L Un Une Ce Cet Cette Ces Il Elle Ils Elles On Nous Je Vous Mais Et Ou Donc
        Or Ni Car Selon Pour Dans En Au Aux Du Des De À Après Avant Depuis Pendant Lors Alors
        Ainsi Aussi Cependant Pourtant Toutefois Enfin Puis Si Quand Lorsque Comme Son Sa Ses
        Leur Leurs Cela Ceci Mardi Mercredi Jeudi Vendredi Samedi Dimanche Lundi D'après
        Désormais Ensuite Néanmoins Certes Bref
    """,
    title_words="""
        m mme mlle dr pr me monsieur madame affaires étrangères intérieur armées défense état
        république gouvernement premier première haut haute général générale président
        présidente ministre porte-parole chef
    """,
    particles="de la le d' van von der",  # not du, des: "du Limbourg" is a place
    abbreviations="m mme mlle dr pr st etc cf p me mgr",
)

_GERMAN = _Table(
    labels="""
        nennt nennen nannte nannten genannt bezeichnet bezeichnen bezeichnete bezeichneten
        betitelt betitelte beschimpft beschimpfte spricht sprechen sprach sprachen gesprochen
    """,
    accusations="beschuldigte beschuldigten",  # not the participle: its subject is before "hat"
    verbs="""
        sagte sagt sagten sagen erklärte erklärt erklärten betonte betont betonten meinte meint
        warnte warnt schrieb schreibt fügte ergänzte ergänzt kritisierte kritisiert forderte
        fordert bekräftigte unterstrich unterstreicht versicherte versichert behauptete
        behauptet antwortete räumte teilte berichtete erläuterte bestätigte bestätigt fragt
        fragte erwiderte erwidert entgegnete entgegnet konterte
        verkündete mahnte argumentierte twitterte hob unterstrich stellte gesagt erklärt betont
        beschreibt beschrieb schildert schilderte
        befindet befand resümierte resümiert kommentierte kommentiert urteilte urteilt mahnt
        formulierte formuliert äußerte äußert geäußert argumentiert twittert
        bekräftigt antwortet erläutert kontert erinnerte_daran erinnert_daran
        wies_darauf_hin weist_darauf_hin rief ruft riefen
    """,
    post_verbs="so freut freute",  # "„...“, freut sich X" ("er freut sich über" says nothing)
    aux="hat haben hatte hatten auch bereits zudem außerdem dann später nochmals erneut "
    "ebenfalls jedoch nun denn sich",
    according="laut nach_Angaben_von nach_Angaben nach_Ansicht_von zufolge",
    according_after="zufolge",
    pronouns_after="ihm ihr ihnen seinen ihren seiner ihrer dessen deren den dem der die worten "
    "angaben einer einem eines",
    as_said="wie",
    that="dass daß",
    relatives="der die",
    someone="einer eine ein",
    where="in im auf bei am vor gegenüber",
    when="""
        am_(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)(?:abend|morgen|nachmittag)?
        gestern(?:_abend)? heute am_Abend am_Morgen am_Nachmittag
    """,
    pronouns="er sie",
    plural_pronouns="sie",
    determiners="der die das den dem des ein eine einer eines einem einen",
    person_roles="""
        sprecher sprecherin minister ministerin kanzler kanzlerin präsident präsidentin
        botschafter botschafterin chef chefin vorsitzende vorsitzender abgeordnete
        abgeordneter general bürgermeister bürgermeisterin gouverneur direktor direktorin
        berater beraterin staatssekretär staatssekretärin sekretär kommissar kommissarin
        politiker politikerin diplomat diplomatin premier premierminister leiter leiterin
        befehlshaber jährige jähriger gesprächspartner gesprächspartnerin
    """,
    other_roles="""
        ministerium regierung behörde behörden quelle quellen polizei armee militär zeitung
        agentur experten experte expert beobachter kritiker ministerien autor autorin analyst
        forscher wissenschaftler soziologe soziologin politologe politologin ökonom ökonomin
        historiker historikerin philosoph philosophin jurist juristin anwalt anwältin arzt ärztin
        professor professorin virologe virologin epidemiologe epidemiologin journalist
        journalistin korrespondent korrespondentin reporter reporterin
    """,
    role_prefix=r"\w*",
    role_suffix="(?:in|innen|en|n|s)?",
    of_words="des der von vom im für aus",
    verb_second=True,
    head_comma_optional=True,
    capitalised_nouns=True,
    function="""
        und oder aber dass daß der die das den dem des ein eine einer eines einem einen ist sei
        war sind seien habe hat hatte wird werde würde nicht am im an auf in mit bei nach vor
        zu zum zur von vom für aus er sie es sagte sagt so am laut
    """,
    nothing="nichts",
    stop_caps="""
        Der Die Das Den Dem Des Ein Eine Einer Er Sie Es Wir Ich Ihr Sein Seine Ihre Aber Und
        Oder Doch Denn So Dann Später Laut Nach Am Im In Auf An Bei Mit Zu Zum Zur Vor Für
        Von Auch Noch Schon Heute Gestern Morgen Dies Diese Dieser Dieses Wie Als Wenn Dass Man
        Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar März April
        Mai Juni Juli August September Oktober November Dezember Zudem Außerdem Jedoch Herr
        Frau Schließlich Allerdings Dabei Damit Deshalb Darüber Trotzdem Inzwischen Bereits Nun
        Jetzt Hier Dort Dazu Daher Gefragt Angesprochen Infolgedessen Folglich Demnach Zuvor
        Anschließend Zuletzt Zunächst Danach Ebenso Gleichzeitig Außerdem Stattdessen Insgesamt
        Weiter Weiters Ferner Daraufhin Hierzu Abschließend Ebenfalls Daneben Ergänzend
    """,
    title_words="herr frau dr prof bundes außen innen auswärtigen amt",
    particles="von_der von_dem van_der von van zu de",
    abbreviations="dr prof bzw usw z.b ca nr hr fr vgl abs st",
    bare="sagte sagt erklärte erklärt betonte betont meinte meint warnte behauptete "
    "behauptet versicherte schrieb erwiderte entgegnete",
    bare_separable="teilte:mit teilt:mit teilten:mit fügte:hinzu fügt:hinzu stellte:klar "
    "stellt:klar räumte:ein räumt:ein gab:zu gibt:zu kündigte:an kündigt:an hob:hervor "
    "hebt:hervor wies:hin weist:hin",
    not_a_clause="dass daß und aber als wie nachdem bevor wenn weil ob am im in auf an",
)

_ITALIAN = _Table(
    labels="""
        chiama chiamano chiamato chiamata chiamati chiamate definisce definiscono definito
        definita definiti definite bollato bollata etichettato etichettata descrive descritto
        descritta parla parlano parlato
    """,
    accusations="accusa accusano accusato accusata accusati accusate",
    verbs="""
        detto dichiarato affermato aggiunto sottolineato spiegato ribadito commentato
        precisato avvertito osservato concluso assicurato scritto riferito denunciato ammesso
        replicato risposto annunciato evidenziato rimarcato insistito twittato dice dicono
        afferma affermano spiega sottolinea aggiunge dichiara ribadisce commenta precisa
        avverte osserva conclude assicura scrive riferisce denuncia ammette replica risponde
        annuncia disse dichiarò affermò aggiunse spiegò sottolineò sostiene sostenuto ritiene
        ritenuto ricorda ricordato racconta raccontato chiede chiesto indica fatto_sapere
        esulta esultato tuona tuonato attacca attaccato evidenzia rileva rilevato puntualizza
        puntualizzato incalza riferiscono spiegano sottolineano aggiungono dichiarano
        ribadiscono commentano precisano avvertono osservano assicurano scrivono denunciano
        replicano rispondono annunciano sostengono ritengono ricordano raccontano fanno_sapere
        prosegue proseguito invita invitano invitato esorta esortano esortato promesso
        promette promettono garantito garantisce chiarito chiarisce ribattuto ribatte confida
        confidato incalzato sbottato ammonito ammonisce tagliato_corto
    """,
    participles="aggiungendo sottolineando spiegando affermando precisando ricordando "
    "ribadendo dichiarando scrivendo commentando riconoscendo sostenendo",
    aux="ha hanno aveva avevano avrebbe avrebbero anche poi inoltre ancora già infine invece "
    "quindi infatti però dunque gli le",
    according="secondo stando_a a_detta_di a_detta_del a_detta_della a_giudizio_di "
    "a_giudizio_del a_giudizio_della",
    named_outlets="a al alla",  # "afferma a Repubblica Alfredo Guarino"
    head_comma_optional=True,
    name_articles="il la lo",
    as_said="come",
    that=r"che ch['’]",
    relatives="che il_quale la_quale",
    someone="uno una un un['’] uno_dei una_delle",
    where="in su a al alla nel nella durante",
    naming="definisce definito bollato",
    when="""
        (?:lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica)(?:_(?:mattina|sera|scorso|scorsa))?
        ieri(?:_sera|_mattina)? oggi stamattina stasera stamani stamane in_serata
        in_mattinata nel_pomeriggio in_giornata
    """,
    # ("suo", "sua": "A suo dire, ...", "A suo avviso, ...": his or her view)
    pronouns="lui lei egli ella essi loro suo sua",
    plural_pronouns="essi loro",
    pron_head="a_{p}_(?:dire|avviso|parere|giudizio)",
    determiners="il lo la i gli le un uno una questo questa",
    elided="l un",
    person_roles="""
        portavoce ministro ministra premier presidente ambasciatore ambasciatrice segretario
        segretaria sottosegretario sottosegretaria leader capo capogruppo capolista sindaco
        sindaca generale
        procuratore procuratrice direttore direttrice consigliere consigliera deputato
        deputata senatore senatrice governatore comandante cancelliere commissario
        commissaria vicepremier viceministro viceministra responsabile rappresentante
        diplomatico politico parlamentare eurodeputato eurodeputata signor signora donna uomo
        interlocutore interlocutrice prefetto prefetta questore assessore assessora
        sindacalista dirigente manager amministratore amministratrice coordinatore
        coordinatrice enne
    """,
    other_roles="""
        ministri ministero governo autorità fonte fonti comunicato rapporto agenzia esperti
        esperto osservatori analisti testimoni abitanti esercito polizia ambasciata procura
        sociologo sociologa politologo politologa economista storico storica filosofo filosofa
        ricercatore ricercatrice giurista avvocato avvocata medico professore professoressa
        virologo virologa epidemiologo epidemiologa giornalista corrispondente cronista
    """,
    role_prefix=r"(?:vice|sotto|pro|\d+)?",  # "il 44enne": someone's age
    role_suffix="(?:i|e)?",
    of_words="del della dello dei degli delle di dell' d' per alla al",
    post_adjectives=2,
    function="""
        e o ma che ch['’]\\w* chi cui dove in su a al alla ai per con da dal dalla è era ha
        hanno aveva avevano avrebbe avrebbero non si il lo la i gli le un uno una di del della
        dello dei degli delle allo dallo nello sullo durante dopo
        prima secondo lunedì martedì mercoledì giovedì venerdì sabato domenica detto
        dichiarato questo questa tra fra sotto senza contro presso verso davanti dietro oltre
    """,
    nothing="niente nulla",
    stop_caps="""
        Il Lo La I Gli Le Un Uno Una L Lui Lei Loro Noi Io Ma E O Però Secondo Per In Nel Nella
        Dopo Prima Anche Poi Quindi Inoltre Ieri Oggi Domani Come Quando Se Mentre Questo
        Questa Da Dal Dalla Del Della Su Sul Con Non Già Ancora Infatti Tuttavia Insomma Ora
        Adesso Intanto Dunque Allora Così Ha Hanno Aveva Avevano Avrebbe Avrebbero È Era
    """,
    title_words="sig sig.ra dott prof on avv ing esteri interno difesa consiglio stato repubblica "
    "usa ue onu nato",
    particles="de del della di d' van von der",
    abbreviations="sig sigg dott prof on avv ing ecc pag",
    drop_subject=True,
)

_POLISH_PAST = """
    powiedział dodał stwierdził podkreślił zaznaczył oświadczył przekazał poinformował ocenił
    napisał zapewnił przyznał ostrzegł tłumaczył wyjaśnił argumentował przekonywał zauważył
    odpowiedział oznajmił zadeklarował mówił dodawał podkreślał zaznaczał apelował zapytał
    pytał wskazał grzmiał tryumfował przypomniał zaapelował skomentował zapowiedział
    podsumował alarmował relacjonował odparł orzekł
"""
_POLISH = _Table(
    labels="""
        nazwał nazwała nazwali nazywa nazywają nazywał określił określiła określili określa
        określają mówi mówią mówił mówiła ochrzcił
    """,
    accusations="""
        zarzucił zarzuciła zarzucili zarzuca zarzucają oskarżył oskarżyła oskarżyli oskarża
        oskarżają
    """,
    verbs=_past(_POLISH_PAST, "a")
    + """
        powiedzieli dodali stwierdzili podkreślili mówi mówią dodaje stwierdza podkreśla
        zaznacza informuje ocenia pisze zapewnia przyznaje ostrzega tłumaczy wyjaśnia
        przekonuje zauważa odpowiada uważa twierdzi podsumowuje komentuje wskazuje apeluje
        alarmuje relacjonuje deklaruje oznajmia opowiada warknął warknęła wypowiadał
        wypowiadała nie_ma_wątpliwości nie_miał_wątpliwości nie_miała_wątpliwości
    """,
    participles="dodając podkreślając zaznaczając twierdząc mówiąc przekonując argumentując",
    aux="""
        też także również jeszcze wówczas potem później następnie natomiast zaś wcześniej już
        ze_śmiechem z_uśmiechem żartem żartobliwie
    """,
    according="według zdaniem",
    head_comma_optional=True,
    pron_according="{p}_zdaniem",
    as_said="jak",
    that="że iż",
    relatives="który która którzy które",
    someone="jeden jedna jedno inny inna ktoś",
    where="w we na podczas",
    # "mówił (wręcz) o ...": what someone spoke of, one word allowed before the preposition
    naming="""
        nazwał nazwała nazwali określił określiła określili
        mówił_(?:\\w+_)?o mówiła_(?:\\w+_)?o mówili_(?:\\w+_)?o
    """,
    when="""
        w_(?:poniedziałek|czwartek|piątek|sobotę|niedzielę|środę) we_(?:wtorek|środę)
        wczoraj dzisiaj dziś
    """,
    pronouns="on ona oni one jego jej ich niego niej nich",  # "według niego": him
    plural_pronouns="oni one ich nich",
    person_roles="""
        rzecznik rzeczniczk minist premier prezydent ambasador szef szefow dyrektor
        przewodnicząc poseł posł posłank senator wiceminist wicepremier prokurator generał
        burmistrz prezes marszał doradc sekretarz dowódc polityk dyplomat gubernator kanclerz
        urzędnik szefow prezydentk człon pracowni wiceszef wiceprzewodnicząc wicemarszał
        wiceprezes wiceprezydent wicedyrektor wicerzecznik parlamentarzyst europosł ekspertk
        rozmówc rozmówczyn
    """,
    other_roles="""
        ministerstw resort źródł służb policj armi wojsk ekspert analityk świadk komunikat
        autor publicyst dziennikar profesor historyk ekonomist socjolog filozof adwokat prawnik
        korespondent reporter
        pisarz pisark bloger politolog
    """,
    role_suffix=r"\w{0,3}",
    post_adjectives=3,
    function="""
        i a ale lub oraz że iż który która które w we na do od z ze za po przed przy o u dla
        podczas przez jest są był była było będzie nie się to ten ta te jak jako czy pod nad
        między wśród wobec obok mimo wokół
        poniedziałek wtorek środę środa czwartek piątek sobotę sobota niedzielę niedziela
        stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października
        listopada grudnia
        powiedział powiedziała dodał dodała
    """,
    nothing="nic",
    stop_caps="""
        W We Na Po Jak Ale I A Oraz On Ona Oni To Ten Ta Te Ich Jego Jej Także Również Według
        Zdaniem Dla Do Od Z Ze Za Przed Podczas Kiedy Gdy Jeśli Choć Chociaż Natomiast Jednak
        Tymczasem Wcześniej Później Dziś Dzisiaj Wczoraj Jutro Też Już Nie Tak Czy Że Co Kto
        Gdzie Dlaczego Ponadto Poza Przy O Otóż Cóż Zatem Więc Dodatkowo Następnie Wtedy Potem
        Oczywiście Niestety Przecież Właśnie
    """,
    title_words="""
        pan pani dr prof gen płk mjr ks rząd rządu msz mon polski rosji ukrainy niemiec
        francji usa ue nato kremla kancelarii
        białorusi węgier czech litwy łotwy chin włoch izraela iranu iraku egiptu kanady
        kijowa moskwy warszawy berlina paryża londynu waszyngtonu pekinu brukseli
        lewicy platformy pis psl konfederacji sejmu senatu dumy unii rady parlamentu
    """,
    # Brazylii, Turcji, Komisji; Obywatelskiej, Europejskiej, Państwowej, Narodowej
    genitive_endings="ii|ji|skiej|ckiej|nej|wej",
    addressees="dziennikarzom reporterom mediom pap reutera afp mu jej im nam mi",
    outlets="agencji portalowi telewizji radiu gazecie dziennikowi tygodnikowi stacji",
    interviews="w_rozmowie_z w_rozmowie_ze w_wywiadzie_dla w_wywiadzie_z na_antenie "
    "w_oświadczeniu w_komunikacie",
    media="dziennik gazeta tygodnik portal agencja telewizja serwis magazyn",
    genitive_names="""
        marii julii natalii lucji alicji patrycji felicji emilii cecylii otylii wiktorii
        klaudii antonii zofii oliwii amelii kornelii leokadii
    """,
    particles="de van von der vel",
    abbreviations="dr prof inż mgr im tzw m.in np ok ul gen płk mjr kpt ks św wg godz r",
    drop_subject=True,
    dialogue=True,
    inflected=True,
)

_RUSSIAN_PAST = """
    сказал заявил отметил подчеркнул добавил сообщил пояснил написал заметил признал указал
    предупредил уточнил ответил рассказал констатировал резюмировал напомнил заверил настаивал
    призвал выразил спросил прокомментировал продолжил объяснил подытожил признался
    высказался посетовал возмутился процитировал рассказывал заявлял отмечал подчеркивал
    подчёркивал сформулировал переспросил возразил парировал оговорился
"""
_RUSSIAN = _Table(
    labels="""
        назвал назвала назвали называет называют называл именует окрестил охарактеризовал
        охарактеризовала говорит говорят говорил говорила назвав охарактеризовав
    """,
    accusations="""
        обвинил обвинила обвинили обвиняет обвиняют упрекнул упрекнула упрекнули упрекает
    """,
    verbs=_past(_RUSSIAN_PAST, "а", "и")
    + """
        считает считают полагает полагают говорит говорят утверждает утверждают отмечает
        заявляет заявляют
        подчеркивает подчёркивает добавляет пишет сообщает поясняет настаивает уверяет
        указывает признает признаёт напоминает предупреждает резюмирует констатирует
        рассказывает объясняет уточняет комментирует оговаривается
        выразился выразилась выразились
    """,
    participles="добавив отметив подчеркнув заявив указав пояснив",
    aux="""
        также тоже еще ещё уже затем позже ранее вновь снова же
        осторожно открыто прямо честно публично коротко резко жёстко жестко откровенно
        со_смехом с_улыбкой с_усмешкой с_иронией в_шутку шутя
        на_прощание в_ответ в_заключение напоследок
    """,
    according="по_словам по_мнению по_данным согласно",
    pron_according="по_{p}_(?:словам|мнению|данным)",
    as_said="как",
    that="что",
    relatives="который которая которые",
    someone="один одна одно другой другая кто-то некий некая",
    where="в во на",
    naming="""
        назвал назвала назвали охарактеризовал охарактеризовала
        говорил_(?:\\w+_)?о говорила_(?:\\w+_)?о говорили_(?:\\w+_)?о
    """,
    said_verbs=_past("выступил поделился", "а", "и"),
    when="""
        в_(?:понедельник|среду|четверг|пятницу|субботу|воскресенье) во_вторник вчера
        сегодня накануне
    """,
    pronouns="он она они его её ее их",
    plural_pronouns="они их",
    person_roles="""
        министр замминистр представител пресс-секретар президент премьер-министр премьер
        глав председател посол посл спикер депутат сенатор губернатор мэр генерал командующ
        директор руководител советник помощник заместител лидер канцлер прокурор генпрокурор
        генсек дипломат парламентари
        политик чиновник госсекретар секретар член ведущ сотрудни собеседник адвокат защитник
    """,
    other_roles="""
        министерств ведомств правительств источник эксперт аналитик свидетел полици арми
        автор журналист публицист политолог историк экономист социолог философ профессор
        академик юрист писател блогер учены учёны врач колумнист обозревател
        посольств пресс-служб епископ священник патриарх митрополит корреспондент репортер
        репортёр интервьюер
    """,
    media="газета газеты еженедельник издание портал агентство телеканал журнал сайт",
    role_suffix=r"\w{0,3}",
    post_adjectives=3,
    function="""
        и а но или что который которая которое в во на с со к ко по о об от до из за для при
        у без после перед во_время является был была было будет не это этот эта он она они
        под над между через против среди около возле вокруг ради
        понедельник вторник среду среда четверг пятницу пятница субботу суббота воскресенье
        сказал сказала заявил заявила как
    """,
    nothing="ничего",
    stop_caps="""
        В Во На По Как Но И А Он Она Они Это Этот Эта При После До Для С Со Также Кроме Однако
        Вместе Ранее Сегодня Вчера Уже Тем Так Между Из К О Об Что Когда Если Хотя Пока Мы Я
        Вы Все Его Её Их Там Здесь Согласно Между Затем Теперь Сам Сама Сами Часто Впрочем
        Кстати Конечно Поэтому Например Итак Зато Причем Причём Потом Позже Далее Еще Ещё
    """,
    title_words="""
        г-н г-жа россии рф украины сша кремля мид минобороны правительства президента
        германии франции китая польши нато ес оон
        беларуси белоруссии крыма донбасса днр лнр москвы киева вашингтона лондона парижа
        берлина варшавы минска пекина израиля ирана ирака египта казахстана азербайджана
        узбекистана пакистана афганистана канады кубы венесуэлы литвы молдовы нидерландов
        евросоюза еврокомиссии совфеда госдумы думы совбеза минздрава минфина минюста
        минэнерго минобрнауки университета института центра фонда
    """,
    # Турции, Федерации, Компании; Российской, Государственной, Европейского
    genitive_endings="ии|ской|ского|цкой|цкого|ной|ного",
    addressees="""
        журналистам репортерам репортёрам корреспонденту корреспондентам сми тасс риа
        новости интерфаксу рбк рейтер ему ей им нам мне
    """,
    outlets="изданию агентству газете телеканалу радиостанции порталу журналу",
    interviews="в_разговоре_с в_беседе_с в_интервью в_эфире в_комментарии",
    genitive_names="""
        марии юлии виктории наталии натальи лидии анастасии софии евгении валерии ксении
        таисии лилии эмилии василии
    """,
    particles="де фон ван",
    abbreviations="г т.е т.д т.п им ген тыс млн млрд руб проф др ул",
    drop_subject=True,
    dialogue=True,
    inflected=True,
)

_TABLES = {"fr": _FRENCH, "de": _GERMAN, "it": _ITALIAN, "pl": _POLISH, "ru": _RUSSIAN}


@cache
def _grammar(language: str) -> _Grammar:
    """The grammar of an ISO 639-1 language code; compiled once, on first use."""
    if language == "en":
        return _ENGLISH
    table = _TABLES.get(language)
    if table is None:
        raise UnsupportedLanguageError(
            f"quotes: language {language!r} is not supported (use one of {', '.join(LANGUAGES)})"
        )
    return _build(language, table)


# --------------------------------------------------------------------------------------------
# Internal records.


@dataclass
class _Mention:
    kind: Literal["name", "pronoun", "description"]
    start: int
    end: int
    text: str
    title: str = ""  # the words of the title before a name ("Foreign Minister")
    opens_sentence: bool = False  # an introduced name that is its sentence's subject
    # English subjects: a pronoun from here on no longer refers to it (the end of the next
    # sentence); -1: no limit
    until: int = -1
    posted: bool = False  # the signature of an embedded post: an account, not who a role is


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
    cued: bool = False  # its sentence names speech or labelling before it ("called it "X"")
    labelled: bool = False  # a label its sentence puts in someone's mouth: no speech turn
    turn: bool = False  # an interview's or a transcript's turn, its speaker named by a label
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
    # dash dialogue: an attribution follows this piece, naming someone ("name") or not
    attributed: Literal["", "name", "other"] = ""


def _dialogue_turns(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Dash dialogue of one paragraph as utterances: an attribution that names someone ends
    one, and the rest goes on with the last ("– Polska się nie ugnie – podkreślił Donald
    Tusk. – To nasza ziemia – dodała Beata Szydło." is two speakers; "— Мы победим, —
    сказал он. — Иного пути нет." and "– ... – mówił. – ... – dodał publicysta." one)."""
    turns: list[list[_Piece]] = []
    current: list[_Piece] = []
    for piece in pieces:
        current.append(piece)
        if piece.attributed:
            if piece.attributed == "name" or not turns:
                turns.append(current)
            else:
                turns[-1].extend(current)
            current = []
    if current:
        if turns:
            turns[-1].extend(current)
        else:
            turns.append(current)
    return turns


# --------------------------------------------------------------------------------------------
# Public API.


def find_quotes(text: str, language: str = "en") -> list[Quote]:
    """Find direct quotes and reported speech in ``text`` and attribute them to speakers.

    ``language`` is the article's ISO 639-1 code (one of :data:`LANGUAGES`); it chooses the
    quotation conventions, reporting verbs and titles. Returns the quotes sorted by ``start``;
    no two overlap. Everything outside them is the author's voice, scare quotes included (a
    word or two quoted mid-sentence that nobody is said to speak). An unsupported language
    raises :class:`~propscope.errors.UnsupportedLanguageError`.
    """
    if language == "ru" and _LOOKALIKE_IN_WORD.search(text):
        # Latin look-alikes inside Cyrillic words ("cказал" with a Latin c, as spam and
        # some copy-pasted texts write it) hide speech verbs and names: read the words with
        # Cyrillic letters, one for one (the offsets stay), and name speakers as written
        quotes = find_quotes(_LOOKALIKE_IN_WORD.sub(_cyrillic_word, text), language)
        return [
            replace(q, speaker=text[q.speaker_start : q.speaker_end])
            if q.speaker_start is not None
            else q
            for q in quotes
        ]
    if unicodedata.is_normalized("NFC", text) and not _INVISIBLE.search(text):
        quotes = _find_quotes(text, language)
    else:
        # Decomposed accents ("Jose\u0301", as some sites and macOS files write them) are
        # not word characters to the patterns, and a soft hyphen cuts a name ("Kamiń\u00adski"
        # as pasted from a web page): read the composed text without invisible characters
        # and map its offsets back
        composed, where = _composed(text)
        if composed is None:
            quotes = _find_quotes(text, language)
        else:
            quotes = [
                Quote(
                    where[q.start],
                    where[q.end],
                    q.voice,
                    None
                    if q.speaker_start is None
                    else text[where[q.speaker_start] : where[q.speaker_end]],
                    None if q.speaker_start is None else where[q.speaker_start],
                    None if q.speaker_end is None else where[q.speaker_end],
                )
                for q in _find_quotes(composed, language)
            ]
    # one person, one speaker: "Marco\u00a0Bellini" is "Marco Bellini", "Kamiń\u00adski"
    # is "Kamiński"
    return [
        replace(q, speaker=q.speaker.translate(_SPEAKER_SPACES))
        if q.speaker is not None and q.speaker != q.speaker.translate(_SPEAKER_SPACES)
        else q
        for q in quotes
    ]


# Invisible characters inside words (soft hyphen, zero-width space / joiners, word joiner)
_INVISIBLE_CHARACTERS = "\u00ad\u200b\u200c\u200d\u2060"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
# ... and the spaces a name may be written with, in a speaker's name
_SPEAKER_SPACES = str.maketrans(
    {**dict.fromkeys(_INVISIBLE_CHARACTERS), **dict.fromkeys("\u00a0\u2007\u202f\u2009", " ")}
)


# Latin letters that look like Cyrillic ones, and a word mixing them with Cyrillic
_LOOKALIKES = str.maketrans("aceopxyACEHKMOPTXB", "асеорхуАСЕНКМОРТХВ")
_LOOKALIKE_IN_WORD = re.compile(
    r"\b(?=\w*[\u0400-\u04ff])(?=\w*[aceopxyACEHKMOPTXB])[\w\u0400-\u04ff]+\b"
)


def _cyrillic_word(match: re.Match[str]) -> str:
    return match.group().translate(_LOOKALIKES)


def _composed(text: str) -> tuple[str | None, list[int]]:
    """``text`` in NFC without its invisible characters, and for each of its offsets (and
    its end) the offset in ``text``.

    Each letter is composed with the marks that follow it; None when that is not the whole
    text's NFC (a composition across letters, as in Hangul jamo).
    """
    parts: list[str] = []
    where: list[int] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]):
            continue
        if text[start] in _INVISIBLE_CHARACTERS:  # left out, alone (it combines with nothing)
            start = i
            continue
        part = unicodedata.normalize("NFC", text[start:i])
        parts.append(part)
        where.extend([start] * len(part))
        start = i
    where.append(len(text))
    composed = "".join(parts)
    if composed != unicodedata.normalize("NFC", _INVISIBLE.sub("", text)):
        return None, []
    return composed, where


def _find_quotes(text: str, language: str) -> list[Quote]:
    g = _grammar(language)
    paragraphs = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    if not paragraphs:
        return []
    groups = _join_split_quotes(text, _direct_quotes(text, paragraphs, g), g)
    if g.dialogue:
        groups = [_inner_dialogue(text, group, g) for group in groups]
    elif g.lang == "fr":
        groups = [_inner_incise(text, group, g) for group in groups]
    regions = _quote_regions(groups)
    sentences = [_sentences(text, s, e, g) for s, e in paragraphs]

    utterances = [_quote_utterance(text, group, paragraphs, sentences, g) for group in groups]
    reported = _reported(text, sentences, regions, g)
    reported += _embedded_posts(text, paragraphs, regions, reported)
    reported += _block_quotes(text, paragraphs, sentences, regions, reported, g)
    turns = _speaker_turns(text, paragraphs, regions, utterances, reported, g)
    turns = turns or _question_turns(text, paragraphs, regions, reported, g)
    reported += turns or _plain_question_turns(text, paragraphs, regions, utterances, reported, g)
    if g is _ENGLISH:
        titled = _sentence_subjects(text, sentences)
        people = []
    else:
        people = _titled_names(text, g)  # introduced with a role
        subjects = _first_name_subjects(text, sentences, regions, g)
        titled = sorted(people + subjects, key=lambda m: m.start)
    headline = _headline(text, paragraphs, regions, utterances + reported, people, g)
    reported += _subtitles(text, paragraphs, sentences, regions, utterances + reported, titled, g)
    if headline:
        reported = [r for r in reported if r.para > 0]
    _adopt_container_speaker(text, utterances, reported + ([headline] if headline else []), g)

    everything = sorted(utterances + reported, key=lambda u: u.anchor)
    _resolve(text, everything, g, titled, regions)
    if headline:
        _resolve_headline(headline, everything, g)
        everything.insert(0, headline)
    _inherit(everything)
    _participle_continuations(text, everything, g)
    _same_words(text, everything)
    if g.lang == "de":
        continuations = _subjunctive_continuations(text, sentences, regions, everything, titled)
        for u in everything:  # "Das sei „kein Stil, wie man ...“": the quote is theirs too
            if (
                u.voice == "quoted"
                and u.speaker is None
                and not u.turn
                # a compound's quoted name ("die „Bild“-Zeitung") is nobody's words
                and text[u.spans[-1][1] + 1 : u.spans[-1][1] + 2] != "-"
            ):
                scope = next(
                    (c for c in continuations if c.scope[0] <= u.anchor < c.scope[1]), None
                )
                if scope is not None:
                    u.speaker, u.resolved = scope.speaker, True
        everything += continuations
        everything.sort(key=lambda u: u.anchor)
        # a quote of no attribution right after a subjunctive sentence (of the same or the
        # next paragraph, as news goes on with a speaker's quote) goes on with that
        # sentence's speaker ("Petersen wies die Sorgen zurück. Es gebe keine Studie. „Da
        # werden Märchen verbreitet.“"), not with who spoke before it
        added = {id(c) for c in continuations}
        last = None  # the last subjunctive sentence, while nobody else speaks after it
        for u in everything:
            if id(u) in added:
                last = u
            elif (
                last is not None
                and u.mention is None  # not attributed, so inherited (or no one's)
                and u.standalone
                and u.voice == "quoted"
                and not u.turn
                and last.speaker is not None
                and u.para - last.last_para <= 1
            ):
                u.speaker = last.speaker
            elif last is not None and not last.scope[0] <= u.anchor < last.scope[1]:
                last = None  # (the words a subjunctive sentence quotes are its own)
    if g.inflected:
        _unify_inflected(text, everything, titled, g.lang)
    else:  # English, French, German, Italian: names do not decline
        _unify_last_names(everything, titled, g, text)
    for u in everything:  # a name in quotes that is itself the speaker ("– zaznacza „SZ”")
        # speaks no words of its own
        if u.speaker is not None and _is_the_speaker(text, u.spans, u.speaker):
            u.speaker = None
        elif u.speaker is not None:
            u.speaker = _unglued(text, u.speaker, g)
    everything = [
        u
        for u in everything
        if not _author_phrase(text, u, reported)
        # quote marks around no word ("” d’hybride “." pairs its marks the wrong way)
        and any(char.isalnum() for s, e in u.spans for char in text[s:e])
    ]
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
    # the per-text caches would keep this text (megabytes, maybe) after it is deleted
    _last_names.cache_clear()
    _first_named.cache_clear()
    return sorted(quotes, key=lambda q: q.start)


_NONSPACE = re.compile(r"\S+")
_WORD_BEFORE = re.compile(r"(\S+) $")


def _unglued(text: str, mention: _Mention, g: _Grammar) -> _Mention:
    """The person of a name that starts inside a longer run of capitalised words.

    A role's complement takes one capitalised word ("il presidente degli Stati"), so the
    rest of a place or an outlet of two words was read as the start of the name: "Uniti
    Kamala Harris", "Post Silja Voeneky", "Колорадо Карлос Франко-Паредес". When the word
    before the name is capitalised and no title ("Secretary Sarah Huckabee Sanders" stays),
    a name of three or more capitalised words keeps its last two (a particle between them
    too: "Luigi Di Maio").
    """
    if mention.kind != "name":
        return mention
    words = [(m.start(), m.group()) for m in _NONSPACE.finditer(mention.text)]
    if any(not w[:1].isupper() for _, w in words):  # "Andrey Krutskikh del Cremlino" stays
        return mention
    named = [k for k, (_, w) in enumerate(words) if w.lower() not in g.particles]
    before = _WORD_BEFORE.search(text, max(0, mention.start - 60), mention.start)
    if len(named) < 3 or before is None:
        return mention
    word = before.group(1)
    if not word[:1].isupper() or not word.isalpha() or word in g.stop_caps:
        return mention
    if _title_word(word, g, genitive=False) or (g is _ENGLISH and _ROLE_WORD.fullmatch(word)):
        return mention
    offset = words[named[-2]][0]
    return replace(mention, start=mention.start + offset, text=mention.text[offset:])


def _is_the_speaker(text: str, spans: list[tuple[int, int]], speaker: _Mention) -> bool:
    """The quote is the speaker's own name, nothing more: „SZ”, «Джорнале»."""
    return len(spans) == 1 and _strip(text, *spans[0], _QUOTE_MARKS) == (speaker.start, speaker.end)


# A phrase of at most this many words quoted mid-sentence, with no speaker, is the author's.
AUTHOR_PHRASE_WORDS = 2
# ... or up to six after "so-called" and its kin, which say the author is naming a thing in
# others' words without being quoted ("im sogenannten „Rechtsakt zur Sexynomie“")
SO_CALLED_WORDS = 6
_SO_CALLED = re.compile(
    r"(?i)(?<![\w-])(?:so[- ]called|self[- ]styled|soi[- ]disant\w*|prétendu\w*|"
    r"so(?:[- ])?genannt\w*|cosiddett\w+|sedicent\w+|tak[- ]zwan\w+|tzw\.|"
    r"так[- ]называем\w+|т\.\s?н\.|пресловут\w+)"
    r"\s*[\"'„“”«»‚‘’‹›]?\s*$"
)


def _author_phrase(text: str, u: _Utterance, reported: list[_Utterance]) -> bool:
    """A word or two in quote marks in the author's own sentence: scare quotes ("the
    so-called "experts"", « nos "alliés" »), a title („Rewizor“) or a name ("RT DE").

    Nobody is quoted there: the author uses or mentions the words, and a technique in them
    (irony is a classic Name calling) is the author's. Only phrases with no speaker, that do
    not start their sentence, follow no speech or labelling verb in it ("called it "X"") and
    lie outside every reported clause qualify; longer quotes mid-sentence ("a "tiny minority
    of extremists"") are usually someone's words, speaker unnamed, and stay quoted.
    """
    if u.voice != "quoted" or u.speaker is not None or u.standalone or u.cued:
        return False
    words = sum(len(text[s:e].split()) for s, e in u.spans)
    so_called = _SO_CALLED.search(text, max(0, u.spans[0][0] - 40), u.spans[0][0])
    if words > (SO_CALLED_WORDS if so_called else AUTHOR_PHRASE_WORDS):
        return False
    return not any(r.scope[0] <= u.anchor < r.scope[1] for r in reported)


def attribute(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """Return the quote or reported clause holding most of ``text[start:end]``, else None.

    None means the span is in the author's voice. "Most" is more than half of the span's
    characters, so a span that only touches a quote stays the author's. The pieces of one
    named speaker count together: a span over « A ». « B », — добавил он, or over a reported
    clause and the quotes inside it, is that speaker's (the piece holding most of it is
    returned). Failing that, pieces of at most one named speaker and unnamed ones that
    together hold most of it make it someone else's words: the piece holding most is
    returned (two named speakers' pieces, "“A,” said Smith. “B,” replied Jones", are not
    added up). ``quotes`` are sorted and do not overlap, as `find_quotes` returns them, so
    the first one that can hold the span is found by bisection (a scan from the first quote
    for every span grew with the square of a long article).
    """
    totals: dict[object, int] = {}
    best: dict[object, tuple[int, Quote]] = {}
    first = bisect_right(quotes, start, key=lambda q: q.end)  # the first quote ending after it
    for index in range(first, len(quotes)):
        quote = quotes[index]
        if quote.start >= max(end, start + 1):
            break
        if start == end:
            if quote.start <= start < quote.end:
                return quote
            continue
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap <= 0:
            continue
        key = quote.speaker if quote.speaker is not None else id(quote)
        totals[key] = totals.get(key, 0) + overlap
        if overlap > best.get(key, (0, quote))[0]:
            best[key] = (overlap, quote)
    if totals:
        key = max(totals, key=totals.__getitem__)
        if 2 * totals[key] > end - start:
            return best[key][1]
        # no one speaker holds most of it, but quotes together do ("denounced the plan as
        # “a shameful betrayal …” and vowed to fight it “until the last breath.”"): it is
        # someone else's words, the piece holding most of it says whose
        named = sum(isinstance(k, str) for k in totals)
        if named <= 1 and 2 * sum(totals.values()) > end - start:
            return max(best.values(), key=lambda pair: pair[0])[1]
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
    # French spacing: "« Nous »," puts a space inside the guillemets, so the neighbours
    # outside them decide ("»" before a comma is still a closing mark).
    if text[i] == "«" and nxt is not None and nxt.isspace():
        if not right or prev in _OPEN_PUNCT:
            return "open"
    if text[i] == "»" and prev is not None and prev.isspace():
        if not left or nxt in _CLOSE_PUNCT:
            return "close"
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


def _direct_quotes(text: str, paragraphs: list[tuple[int, int]], g: _Grammar) -> list[list[_Piece]]:
    """Pair quote marks into quotes; a quote continued over paragraphs is one group."""
    groups: list[list[_Piece]] = []
    carry: list[_Piece] | None = None  # group continued from the previous paragraph
    carry_family = ""
    carry_unopened = False  # ... into a paragraph that does not reopen it
    spoken = False  # the previous paragraph was attributed dash dialogue
    for index, (lo, hi) in enumerate(paragraphs):
        if g.dialogue and carry is None:
            pieces, attributed = _dialogue(text, lo, hi, g)
            mid = None if pieces else _DIALOGUE_AFTER_SENTENCE.search(text, lo, hi)
            if mid is not None and not _marks(text, lo, mid.start()):
                # dialogue after a sentence of narration: "Mieszkańcy nie dowierzają. – Oni
                # myślą, że ... – powiedziała pani Halina. – Obiecywali parki ..."
                pieces, attributed = _dialogue(text, mid.start("dash"), hi, g)
                pieces = pieces if attributed else []
            if not pieces and mid is None:
                # speech with no opening dash, attributed at the paragraph's end: "Taka
                # zależność istniała już ... – dodaje gazeta."
                pieces = _tail_dialogue(text, lo, hi, g)
                attributed = bool(pieces)
            if pieces and (attributed or spoken):
                groups.extend(_dialogue_turns(pieces))
                spoken = True
                continue
            spoken = False
        marks = _marks(text, lo, hi)
        stack: list[tuple[str, int]] = []
        current = carry
        unopened = -2  # the stack's entry of a continuation whose paragraph has no opener
        if carry is not None and carry_unopened:
            # ... or none, and closes the quote: „… (paragraph) … egal.“
            unopened = lo - 1
            stack.append((carry_family, unopened))
        elif carry is not None:
            # The continuation paragraph starts with an opening mark of the same family.
            stack.append((carry_family, marks[0][0]))
            marks = marks[1:]
        carry = None
        nested_closes: list[int] = []
        # Whether a mark of a kind comes after mark k (at k + 1): suffix tables, so that a
        # paragraph of many marks is read once, not once per mark
        strong_single_later = [False] * (len(marks) + 1)
        double_later = [False] * (len(marks) + 1)
        single_close_later = [False] * (len(marks) + 1)
        for k in range(len(marks) - 1, -1, -1):
            pos, family, role = marks[k]
            strong = family == "single" and role != "open" and _strong_close(text, pos, hi)
            strong_single_later[k] = strong_single_later[k + 1] or strong
            double_later[k] = double_later[k + 1] or family == "double"
            single_close_later[k] = single_close_later[k + 1] or (
                family == "single" and role != "open"
            )
        for k, (pos, family, role) in enumerate(marks):
            if not stack:
                if family == "double" and (
                    role == "open" or (role == "either" and double_later[k + 1])
                ):
                    stack.append((family, pos))
                elif family == "single" and role == "open" and text[pos] != "’":
                    # A straight ' opens a quote only before a clear closing mark: rock 'n' roll.
                    if strong_single_later[k + 1] or (
                        text[pos] != "'" and single_close_later[k + 1]
                    ):
                        stack.append((family, pos))
                elif family == "double" and role == "close" and not _started_in(groups, lo):
                    # The opening mark was lost: keep it only when an attribution follows.
                    if _attribution_ok(text, pos + 1, hi, g):
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
            opener = -1 if top_pos == unopened else top_pos
            piece = _make_piece(text, opener, pos, top_pos + 1, pos)
            group = (current or []) + ([piece] if piece else [])
            current = None
            if group:
                groups.append(group)
        if not stack:
            continue
        family, open_pos = stack[0]
        nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        opened = nxt is not None and _starts_with_opener(text, nxt, family)
        # (English writers reopen a continued quote; elsewhere some leave the mark out, after
        # a paragraph that ends a sentence: not a line of verse or a signature line)
        if nxt is not None and (
            opened
            or (
                g is not _ENGLISH
                and text[lo:hi].rstrip()[-1:] in ".!?…"
                and _closes_unopened(text, nxt, family)
            )
        ):
            piece = _make_piece(text, open_pos, None, open_pos + 1, hi)
            carry = (current or []) + ([piece] if piece else [])
            carry_family, carry_unopened = family, not opened
            continue
        close = next(
            (c for c in reversed(nested_closes) if _attribution_ok(text, c + 1, hi, g)),
            None,
        )
        piece = _make_piece(text, open_pos, close, open_pos + 1, hi if close is None else close)
        group = (current or []) + ([piece] if piece else [])
        if group:
            groups.append(group)
    return sorted(groups, key=lambda g: g[0].start)


# What may stand between a split quote's attribution and its second part: ", “", ", — «",
# " this week, “", " Fox News, referring to his case, “" (a few words, no sentence end, no
# other quote), or a participle that goes on with the speaker's words (", adding “").
_REOPEN = re.compile(r"[^.!?;\"“”„«»\n]{0,80}?\s*[,:]\s*(?:[-–—]\s*)?")
_REOPEN_PARTICIPLE = re.compile(r"\s*,\s*(?P<participle>[^\W\d_]+)\s*(?:[:,]\s*)?")


def _join_split_quotes(text: str, groups: list[list[_Piece]], g: _Grammar) -> list[list[_Piece]]:
    """“We will win,” said John Smith, “because the enemy is weak.”: one quote, split by its
    attribution, is one group, so that its second part has the speaker too.

    Joined only when the first part ends mid-sentence (no final stop inside its marks), an
    attribution follows its closing mark, and nothing but a comma, colon or dash stands
    between that attribution and the second part, in the same paragraph. With more words
    there ("said Trump, citing Kim's ability to “...”", "Horowitz said, and the IG was
    “not sure”") the second part may be a paraphrase's quoted words, and stays apart.
    """
    joined: list[list[_Piece]] = []
    for group in groups:
        if joined and _continues(text, joined[-1][-1], group[0], g):
            joined[-1] = joined[-1] + group
        else:
            joined.append(group)
    return joined


def _continues(text: str, last: _Piece, first: _Piece, g: _Grammar) -> bool:
    """True when the quote piece ``first`` continues ``last`` after an attribution."""
    if last.close is None or first.open <= last.close or "\n" in text[last.close : first.open]:
        return False
    if text[last.start : last.end].rstrip()[-1:] in ".!?…":
        return False  # a finished sentence: "“We won.” he said. “Next...”" is another one
    match = g.post.match(text, last.close + 1, first.open)
    if _match_mention(text, match, g) is None:
        return False
    if (
        match.groupdict().get("d")
        and len(text[last.start : last.end].split()) <= AUTHOR_PHRASE_WORDS
    ):
        # After a title a verb with no subject reads as after speech (w rozmowie z
        # "Politico" oznajmiła to wprost: "..."): a name, not a first part.
        return False
    participle = _REOPEN_PARTICIPLE.fullmatch(text, match.end(), first.open)
    if participle is not None:
        return g.participle_full.fullmatch(participle.group("participle")) is not None
    tail = _REOPEN.fullmatch(text, match.end(), first.open)
    # Another speaker in those words speaks the second part: "said X, while Y said, “...”".
    return tail is not None and g.pre.search(text, match.end(), first.open) is None


def _started_in(groups: list[list[_Piece]], lo: int) -> bool:
    """True when a quote already started in the paragraph beginning at ``lo``."""
    return bool(groups) and groups[-1][-1].start >= lo


def _attribution_ok(text: str, pos: int, hi: int, g: _Grammar) -> bool:
    """True when the text after a closing mark attributes the quote ("..., Hajiyev said")."""
    return _match_mention(text, g.post.match(text, pos, hi), g) is not None


_DASH_OPEN = re.compile(r"[^\S\r\n]*(?P<dash>[—–])[^\S\r\n]+(?=\S)")
_DASH_MID = re.compile(r"(?<=[^\s—–])[^\S\r\n]*(?P<dash>[—–])(?=[^\S\r\n])")
_DIALOGUE_AFTER_SENTENCE = re.compile(r"[.!?…](?P<dash>[^\S\r\n]+[—–])[^\S\r\n]+(?=\S)")
_DASH_NEXT = re.compile(r"(?:[.!?…,][^\S\r\n]*|[^\S\r\n]+)(?P<dash>[—–])[^\S\r\n]+(?=\S)")
# The same with hyphens for dashes, spaced on both sides, in the languages whose sites do so
HYPHEN_DIALOGUE = frozenset({"pl", "ru"})
_HYPHEN_OPEN = re.compile(r"[^\S\r\n]*(?P<dash>-)[^\S\r\n]+(?=\S)")
_HYPHEN_MID = re.compile(r"(?<=\S)[^\S\r\n]+(?P<dash>-)(?=[^\S\r\n])")
_HYPHEN_NEXT = re.compile(r"(?:[.!?…,][^\S\r\n]*|[^\S\r\n]+)(?P<dash>-)[^\S\r\n]+(?=\S)")


# How far before a sentence's end its attribution may start (characters).
_TAIL_REACH = 400
# How far after a dash an attribution is looked for (characters).
_ATTRIBUTION_REACH = 300


def _dialogue(text: str, lo: int, hi: int, g: _Grammar) -> tuple[list[_Piece], bool]:
    """Dash dialogue: "— Мы победим, — сказал он. — Иного пути нет."

    A paragraph opening with a dash is direct speech up to a dash followed by an attribution;
    after the attribution a further dash continues the speech. Returns the pieces and whether
    an attribution was found (an unattributed one only continues attributed dialogue).
    """
    match, mid, follow = _DASH_OPEN.match(text, lo, hi), _DASH_MID, _DASH_NEXT
    if match is None and g.lang in HYPHEN_DIALOGUE:
        # "- Ludzie u władzy ... - mówiła.": some sites type the dashes as hyphens; then
        # only a hyphen with a space on each side is one ("Bielsko-Biała" is a name)
        match, mid, follow = _HYPHEN_OPEN.match(text, lo, hi), _HYPHEN_MID, _HYPHEN_NEXT
    if match is None:
        return [], False
    pieces: list[_Piece] = []
    attributed = False
    open_, start = match.start("dash"), match.end()
    while True:
        close = post = None
        mention = None
        for dash in mid.finditer(text, start, hi):
            # An attribution is short: looking past it made a paragraph of "— Да — Да ..."
            # quadratic (10,000 characters: 30 s); a match that runs to the cut is no
            # attribution.
            reach = min(hi, dash.start("dash") + 1 + _ATTRIBUTION_REACH)
            post = g.post.match(text, dash.start("dash") + 1, reach)
            if post is not None and post.end() == reach < hi:
                post = None
            mention = _match_mention(text, post, g)
            if mention is None or mention.kind == "pronoun":
                # "– ... – mówił na konferencji prasowej starosta Tomasz Wróblewski."
                mention = _distant_speaker(text, dash.start("dash"), reach, g) or mention
            if mention is not None:
                close = dash.start("dash")
                break
        piece = _make_piece(text, open_, close, start, hi if close is None else close)
        if piece:
            pieces.append(piece)
        if close is None or mention is None:
            break
        if piece:
            piece.attributed = "name" if mention.kind == "name" else "other"
        attributed = True
        nxt = follow.search(text, max(mention.end, post.end() if post else 0), hi)
        if nxt is None:
            break
        open_, start = nxt.start("dash"), nxt.end()
    return pieces, attributed


# A French incise with its subject after the verb, between commas: ", a-t-il ajouté,",
# ", poursuit-elle,", ", dit-il," (not "dit-on": "on" names nobody)
_INCISE = re.compile(
    r",[^\S\r\n]*(?P<v>(?:(?:a|avait|aurait)-t-(?:il|elle)[^\S\r\n]+(?P<p>[^\W\d_]+))"
    r"|(?P<i>[^\W\d_]+)-t?-?(?:il|elle|ils|elles))[^\S\r\n]*,"
)


def _inner_incise(text: str, group: list[_Piece], g: _Grammar) -> list[_Piece]:
    """French speech verbs inside guillemets: "« Pendant que certains jouent les justiciers,
    a-t-il ajouté, nous continuons à produire »" is two pieces around "a-t-il ajouté" (read
    as an attribution after the first), as a quote closed and reopened around it would be;
    so is a verb and its subject after a comma ("« …, confie la quadragénaire. Et en face,
    … »", "« …, a martelé en fin de journée Me Claire Dumontet, l’avocate de … . On a … »")."""
    pieces = []
    for piece in group:
        start = piece.start
        if piece.open >= 0:
            for cut, resume in _incises(text, piece.start, piece.end, g):
                if cut <= start:
                    continue
                first = _make_piece(
                    text, piece.open if start == piece.start else -1, cut, start, cut
                )
                if first is not None:
                    pieces.append(first)
                start = resume
        rest = _make_piece(
            text, piece.open if start == piece.start else -1, piece.close, start, piece.end
        )
        if rest is not None:
            pieces.append(rest)
    return pieces


# A comma, then a speech verb (after "a" / "ont"): an attribution inside guillemets
_COMMA_VERB = re.compile(r",[^\S\r\n]*(?:(?:a|ont|avait|avaient)[^\S\r\n]+)?(?P<v>[^\W\d_]+)")
# An apposition saying who the speaker is: ", l’avocate de …", ", le maire de …"
_APPOSITION_AFTER = re.compile(r",\s*(?:l['’]|le\s|la\s|les\s|un\s|une\s)")
# Where the words resume after an attribution inside guillemets: a sentence's end or a comma
_RESUME = re.compile(r"\s*(?:[.,;]|\s[—–-])\s*(?=\S)")


def _incises(text: str, lo: int, hi: int, g: _Grammar) -> list[tuple[int, int]]:
    """Where attributions inside a French quote ``text[lo:hi]`` cut it and where the quote
    resumes after each: pronoun incises (`_INCISE`), and a speech verb after a comma with its
    subject after it, up to the sentence's end or a comma (an attribution at the quote's end
    resumes nothing and is read as usual)."""
    cuts = []
    for incise in _INCISE.finditer(text, lo, hi):
        verb = incise.group("p") or incise.group("i")
        if verb.lower() in g.cue_words:
            cuts.append((incise.start(), incise.end()))
    for comma in _COMMA_VERB.finditer(text, lo, hi):
        if comma.group("v").lower() not in g.cue_words:
            continue
        reach = min(hi, comma.start() + _ATTRIBUTION_REACH)
        post = g.post.match(text, comma.start(), reach)
        if post is not None and post.group("b") and _match_mention(text, post, g) is not None:
            end = post.end()
        else:  # "…, a martelé en fin de journée Me Claire Dumontet, l’avocate de …. On a …"
            # (not "…, selon moi, …": no verb and its subject)
            distant = _distant_speaker(text, comma.start(), reach, g)
            if distant is None:
                continue
            end = distant.end
        if _APPOSITION_AFTER.match(text, end, hi):
            end = text.find(".", end, hi)  # who the speaker is, up to the sentence's end
            if end < 0:
                continue
        resume = _RESUME.match(text, end, hi)
        if resume is not None and not any(a <= comma.start() < b for a, b in cuts):
            cuts.append((comma.start(), resume.end()))
    return sorted(cuts)


def _inner_dialogue(text: str, group: list[_Piece], g: _Grammar) -> list[_Piece]:
    """Dash attributions inside quote marks: "«Подсудимый превратил ..., — заявила она. —
    Пока жители ...»" is two pieces around "заявила она", as dash dialogue would be (the
    dash comes after a comma, "!", "?" or "…", or in Polish before a verb: "«Заречное — не
    помойка!»" is one)."""
    pieces = []
    for piece in group:
        start = piece.start
        while piece.open >= 0:
            split = None
            for dash in _DASH_MID.finditer(text, start, piece.end):
                at = dash.start("dash")
                before = at - 1  # the last mark before the dash (a look back, not a slice:
                while before > start and text[before].isspace():  # a slice per dash grew
                    before -= 1  # with the square of a long quote)
                punctuated = text[before] in (",", "!", "?", "…")
                if not punctuated and g.lang != "pl":
                    continue
                # (an attribution is short: reading to the piece's end after every dash of
                # "«Да — Да — …»" grew with the square of its length; and it has a speech
                # verb among its first words, a cheap test before the pattern)
                reach = min(piece.end, at + 1 + _ATTRIBUTION_REACH)
                first_words = islice(_WORD.finditer(text, at + 1, reach), 4)
                if g.cue_words.isdisjoint(w.group().lower() for w in first_words):
                    continue
                post = g.post.match(text, at + 1, reach)
                if post is None or _match_mention(text, post, g) is None:
                    continue
                if punctuated or post.group("b") or post.group("d"):
                    # (Polish writes no comma: "„Nie pozwolimy na to – powiedział minister.")
                    split = at, post
                    break
            if split is None:
                break
            at, post = split
            first = _make_piece(text, piece.open if start == piece.start else -1, at, start, at)
            if first is not None:
                pieces.append(first)
            nxt = _DASH_NEXT.search(text, post.end(), piece.end)
            if nxt is None:
                start = piece.end  # "«Мы победим, — сказал он»": nothing after it
                break
            start = nxt.end()
        rest = _make_piece(
            text, piece.open if start == piece.start else -1, piece.close, start, piece.end
        )
        if rest is not None:
            pieces.append(rest)
    return pieces


# An attribution closing a paragraph: short, and no sentence ends in it before its last mark.
_TAIL_ATTRIBUTION = 120
_HYPHEN_DASH = re.compile(r"(?:^|\s)-\s", re.MULTILINE)


def _tail_dialogue(text: str, lo: int, hi: int, g: _Grammar) -> list[_Piece]:
    """A paragraph of speech with no opening dash, attributed after a dash at its end: "Ceny
    wzrosną jeszcze o 10 proc. – powiedział minister zdrowia Adam Niedzielski." The whole
    paragraph before the dash is the speaker's, as in dash dialogue; a paragraph with a
    quote mark before the dash is left to the marks."""
    end = hi
    while end > lo and text[end - 1].isspace():
        end -= 1
    dash = None
    for found in _DASH_MID.finditer(text, max(lo, end - _TAIL_ATTRIBUTION), end):
        dash = found
    if dash is None:
        return []
    at = dash.start("dash")
    tail = text[at + 1 : end].rstrip(".!…")
    if any(mark in tail for mark in ".!?…") or _marks(text, lo, end):
        return []
    if len(_sentences(text, lo, at, g)) < 2:  # one sentence: "Rząd rozszerzył sankcje na
        return []  # Rosję – informuje agencja Reuters." reports it (`_reported`)
    if g.cue_phrase.search(text, lo, at):  # "Minister X powiedział, że ... . ... – dodał
        return []  # minister.": the author's attribution is no speech; `_reported` reads it
    if _HYPHEN_DASH.search(text, lo, at):  # "... amantadyny. - To są ...": hyphens mark the
        return []  # speech inside, which the paragraph's other readings take
    post = g.post.match(text, at + 1, end)
    if post is None or _match_mention(text, post, g) is None:
        return []
    if post.group("d") is not None and _WORD.search(text, post.end(), end):
        return []  # a subject after the verb that is not read ("– dodaje gazeta."): no guess
    piece = _make_piece(text, -1, at, lo, at)
    return [piece] if piece else []


def _closes_unopened(text: str, paragraph: tuple[int, int], family: str) -> bool:
    """Whether ``paragraph`` goes on with a quote left open before without reopening it: its
    only mark of ``family`` closes it where the paragraph ends ("... völlig egal.“"), as
    writers who drop the reopening mark of a continued quote leave it."""
    lo, hi = paragraph
    marks = [m for m in _marks(text, lo, hi) if m[1] == family]
    if len(marks) != 1 or marks[0][2] == "open":
        return False
    return not text[marks[0][0] + 1 : hi].strip(" \t\r\n.,;!?…)")


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


def _sentences(text: str, lo: int, hi: int, g: _Grammar) -> list[tuple[int, int]]:
    """Sentence ranges of a paragraph: a stop before a capital, digit or opening mark."""
    sentences, start = [], lo
    for match in g.sentence_end.finditer(text, lo, hi):
        end = match.end()
        nxt = end
        while nxt < hi and text[nxt].isspace():
            nxt += 1
        if nxt < hi:
            ch = text[nxt]
            if not (ch.isupper() or ch.isdigit() or ch in _OPEN_PUNCT):
                continue
        if text[match.start()] == "." and _abbreviation(text, lo, match.start(), g):
            continue
        sentences.append(_strip(text, start, end))
        start = end
    if start < hi and text[start:hi].strip():
        sentences.append(_strip(text, start, hi))
    return sentences


def _abbreviation(text: str, lo: int, dot: int, g: _Grammar) -> bool:
    i = dot
    while i > lo and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot]
    return (len(word) == 1 and word.isupper()) or word.lower() in g.abbreviations


def _mention(text: str, start: int, end: int, g: _Grammar = _ENGLISH) -> _Mention | None:
    """Classify a speaker expression; names keep only their name part, titles dropped.

    In English, an organisation right after a person who works there is that person:
    "Shadi Hamid of the Brookings Institution declared", "Keith Vaz, chairman of the Home
    Affairs Select Committee, ..., said".
    """
    mention = _mention_of_span(text, start, end, g)
    if g is _ENGLISH and mention is not None and mention.kind == "name" and _organisation(mention):
        of = mention.text.find(" of ")  # "Shadi Hamid of the Brookings Institution"
        inside = (
            _PERSON_OF.fullmatch(text, mention.start, mention.start + of + 4) if of > 0 else None
        )
        before = inside or _PERSON_OF.search(text, max(0, start - 120), start)
        if before is not None:
            person = _mention_of_span(text, before.start("n"), before.end("n"), g)
            if person is not None and person.kind == "name" and not _organisation(person):
                if _introduced(person):
                    return person
    elif g is _ENGLISH and mention is not None and mention.kind == "name":
        # "Agustín Sánchez-Lavega of the University of the Basque Country": the name kept
        # was the place after the organisation; the person comes before it
        span = text[start:end]
        of = span.find(" of ")
        # ... or a place ("President Bashar Assad of Syria", "Sen. Ted Cruz of Texas")
        place = mention.start >= start + of + 4 and len(mention.text.split()) <= 2
        if of > 0 and (_ORGANISATION.search(span, of) or place):
            inside = _PERSON_OF.fullmatch(text, start, start + of + 4)
            if inside is not None:
                person = _mention_of_span(text, inside.start("n"), inside.end("n"), g)
                if person is not None and person.kind == "name" and len(person.text.split()) >= 2:
                    return person
    return mention


# A person, their role and "of" before the organisation they work for ("Keith Vaz, chairman
# of the", "Shadi Hamid of the", "Gavino Zarate, secretary of the")
_PERSON_OF = re.compile(
    rf"(?P<n>{_RUN}),?\s+(?:(?:a|an|the)\s+)?(?:[a-z][\w\-]*\s+){{0,3}}"
    r"(?:of|at|for|from|with)\s+(?:the\s+)?$"
)


def _mention_of_span(text: str, start: int, end: int, g: _Grammar = _ENGLISH) -> _Mention | None:
    if text[end - 1 : end] in _QUOTE_MARKS:  # „The Times”, dziennik „Le Parisien”
        inner = max(text.rfind(mark, start, end - 1) for mark in _QUOTE_MARKS)
        if inner >= start:
            start, end = inner + 1, end - 1
    if g.speaker_lead is not None:
        lead = g.speaker_lead.match(text, start, end)
        if lead is not None and lead.end() < end:
            start = lead.end()
    if g.addressees:
        start, end = _without_addressees(text, start, end, g)
        alone = text[start:end]
        if alone.islower() and alone in g.addressees and not g.pron_full.fullmatch(alone):
            return None  # "– oznajmiła dziennikarzom.": whom she told, not who (PAP speaks)
    lead = _LEADING_OF.match(text, start, end) if g.lang in ("fr", "it") else None
    if lead and lead.end() < end:  # "La dichiarazione di McConnell": the subject began before
        start = lead.end()
    if g is _ENGLISH and end - start > 2 and text[end - 2 : end] in ("’s", "'s"):
        end -= 2  # "Ms. Ford’s claim that ...", "He's said it": the person, not the possessive
    span = text[start:end]
    if g.pron_full.fullmatch(span):
        return _Mention("pronoun", start, end, span)
    if g.desc_full.fullmatch(span):
        return _Mention("description", start, end, span)
    if span.endswith(",") and g is not _ENGLISH:  # "Le Premier ministre, Su Tseng-chang, a dit"
        return _mention(text, start, end - 1, g)
    comma = span.rfind(",")
    if comma > 0 and g is not _ENGLISH:  # "la maire de Paris, Anne Hidalgo"
        mention = _mention(text, *_strip(text, start + comma + 1, end), g)
        if mention is not None and mention.kind == "name":
            mention.title = text[start : start + comma]
            return mention
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", span)]
    if g is not _ENGLISH:  # "le porte-parole du Kremlin Dmitri Peskov": the longest title
        for k in range(len(tokens) - 1, 0, -1):
            lo, hi = tokens[k][0], tokens[-1][1]
            if g.desc_full.fullmatch(text, start, tokens[k - 1][1]) and g.run_full.fullmatch(
                text, lo, hi
            ):
                mention = _mention(text, lo, hi, g)
                if mention is not None and mention.kind == "name":
                    if all(_title_word(word, g) for word in mention.text.split()):
                        return _Mention("description", start, end, span)  # "Prezydent Brazylii"
                    mention.title = " ".join(
                        filter(None, [text[start : tokens[k - 1][1]], mention.title])
                    )
                    return mention
                break
    while tokens and (
        text[tokens[0][0] : tokens[0][1]] in g.stop_caps
        or text[tokens[0][0] : tokens[0][1]] in ("of", "the", "for", "and", "to", "-", "–", "—")
    ):
        tokens.pop(0)
    if not tokens:
        return None
    name: list[tuple[int, int]] = []
    for k in range(len(tokens) - 1, -1, -1):
        s, e = tokens[k]
        word = text[s:e]
        if name and (word in g.particles or _particle_pair(text, tokens, k, g)):
            name.insert(0, (s, e))
            continue
        if name and _capital_particle(text, tokens, k, g):  # Marine Le Pen, Bruno Le Maire
            name.insert(0, (s, e))
            continue
        if (
            not word[0].isupper()
            or (g is not _ENGLISH and _ELIDED.match(word) is not None)
            or word in g.stop_caps
            or (len(word) > 1 and word.isupper() and not _INITIAL.fullmatch(word))
            or (name and _title_word(word, g))
            # "ведущая Daily Wire Кэндис Оуэнс": a name is written in one script
            or (name and _cyrillic(word) != _cyrillic(text[name[0][0] : name[0][1]]))
        ):
            break
        name.insert(0, (s, e))
    while name and text[name[0][0] : name[0][1]] in g.particles and len(name) < len(tokens):
        name.pop(0)  # "Director de Smith": a particle after a title word belongs to the title
    name = _before_workplace(text, name, g)
    before_name = text[max(0, name[0][0] - 40) : name[0][0]].split() if name else []
    if (
        g.lang in ("pl", "ru")
        and len(name) >= 3
        and (
            len(name) < len(tokens)
            or (before_name and _title_word(before_name[-1], g))
            # a role opening the sentence, capitalised: "Предприниматель Виктор Лапин"
            or (
                _SENTENCE_START.search(text, max(0, name[0][0] - 4), name[0][0]) is not None
                and first_name_gender(text[name[0][0] : name[0][1]], g.lang) is None
                and first_name_gender(text[name[1][0] : name[1][1]], g.lang) is not None
            )
        )
    ):
        # "prezydent Krakowa Marek Lis", "мэр Заречья Сергей Белов": after a title, a place's
        # genitive that completes it comes before a known first name (not elsewhere: "Pier
        # Luigi Bersani", "Kinga Anna Kowalska" have a first name the lexicon lacks)
        words = [text[s:e] for s, e in name]
        first = next((j for j in range(len(words) - 1) if first_name_gender(words[j], g.lang)), 0)
        name = name[first:]
    title = tokens[: len(tokens) - len(name)]
    # A genitive after a title completes it ("Prezydent Brazylii"); alone it may be the
    # name itself, declined ("Zdaniem Kowalskiej", "По словам Гахарии").
    after_title = bool(title) and _title_word(text[title[-1][0] : title[-1][1]], g)
    if (
        g is not _ENGLISH
        and name
        and all(_title_word(text[s:e], g, genitive=after_title) for s, e in name)
    ):
        return _Mention("description", start, end, span)  # "rzecznik Kremla", "МИД России"
    if g is not _ENGLISH and name:
        # Titles come before the name and are often lower-case: "le président Emmanuel Macron",
        # "rzecznik rządu Piotr Müller". Keep the whole title: the role word may be its first.
        words = " ".join(text[s:e] for s, e in title)
        return _Mention("name", name[0][0], name[-1][1], text[name[0][0] : name[-1][1]], words)
    title_words = [t for t in title if not g.conn_full.fullmatch(text[t[0] : t[1]])]
    whole = text[tokens[0][0] : tokens[-1][1]]
    if g is _ENGLISH and title and _ORGANISATION.fullmatch(whole.split()[-1]):
        return _Mention("name", tokens[0][0], tokens[-1][1], whole)  # "U.S. State Department"
    if name and (len(name) >= 2 or len(title_words) >= 2):
        last_title = " ".join(text[s:e] for s, e in title_words[-2:])
        return _Mention("name", name[0][0], name[-1][1], text[name[0][0] : name[-1][1]], last_title)
    if g is not _ENGLISH and len(tokens) == 1 and _ELIDED_COMMON.fullmatch(whole):
        return None  # "All’epoca", "Dell’anno": an article joined to a common noun
    first, *rest = whole.split()
    if first in _ARTICLES and len(rest) == 1 and rest[0].isalpha() and rest[0].isupper():
        s, e = tokens[1]  # "il FLNC", "la CGT", "der FSB": an article before an acronym
        return _Mention("name", s, e, text[s:e], first)
    if g.lang in _WORKPLACE_LANGUAGES:  # "Mario Rossi del PD": the acronym is no name word
        person = _before_workplace(text, tokens, g)
        if len(person) < len(tokens) and all(text[s:e][:1].isupper() for s, e in person):
            return _Mention("name", person[0][0], person[-1][1], text[person[0][0] : person[-1][1]])
    return _Mention("name", tokens[0][0], tokens[-1][1], whole)


_WORKPLACE_LANGUAGES = ("de", "fr", "it")
# Where a sentence starts: after its stop, or at a paragraph's start (the end of ``text[:pos]``)
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n\s*)$")
# Russian prepositions: "сообщили в МВД России" says where, not who ("в" is no role)
_RU_PREPOSITIONS = "в|во|на|по|у|из|для|с|со|к|ко|о|об|от|при|за|под|над|перед|через"


def _before_workplace(text: str, name: list[tuple[int, int]], g: _Grammar) -> list[tuple[int, int]]:
    """The name's words before "von" / "de" / "di" after a full name, which names where the
    person works: "Hajo Kleibert von der Betreibergesellschaft", "Valerio Tobia di Potere al
    Popolo", "Lev Gudkov del Centro Levada" ("Ursula von der Leyen" has one word before it)."""
    if g.lang not in _WORKPLACE_LANGUAGES:
        return name
    words = [text[s:e] for s, e in name]
    cut = next((k for k in range(2, len(words)) if words[k] in g.particles), None)
    if cut is not None and not any(w in g.particles for w in words[:cut]):
        return name[:cut]
    return name


_ARTICLES = frozenset("the le la les il lo der die das den dem des".split())

# A capitalised preposition elided onto a lower-case noun ("All’epoca", "Dell’anno"), unlike
# a name ("L’Espresso", "D’Alema") or an article and a noun ("L’editore": a description)
_ELIDED_COMMON = re.compile(r"(?![Ll]['’])\w{1,4}['’][a-zà-ÿ][\w’'\-]*")


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_INITIAL = re.compile(r"[^\W\d_]\.")  # "David W. Dockery": an initial inside a name


def _cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


# "de Poutine", "di McConnell", "del Cremlino": a subject found from its complement on
_LEADING_OF = re.compile(r"(?:de|du|di|del|della|dello)\s+")


def _without_addressees(text: str, start: int, end: int, g: _Grammar) -> tuple[int, int]:
    """Trim whom the speaker spoke to from either end, unless nothing else is left
    ("сообщает ТАСС": the agency is the speaker)."""
    words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    lo, hi = 0, len(words)
    while (
        lo < hi
        and (word := text[start + words[lo][0] : start + words[lo][1]]).lower() in g.addressees
    ):
        lo += 1
        following = text[start + words[lo][0] : start + words[lo][1]] if lo < hi - 1 else ""
        if word.lower() in g.outlets and following[:1].isupper():
            lo += 1  # the outlet's name: "portalowi Verificat Adelaida Sarukhan"
    while (
        hi > lo
        and text[start + words[hi - 1][0] : start + words[hi - 1][1]].lower() in g.addressees
    ):
        hi -= 1
    if lo == hi or (lo == 0 and hi == len(words)):
        return start, end
    return start + words[lo][0], start + words[hi - 1][1]


def _title_word(word: str, g: _Grammar, genitive: bool = True) -> bool:
    """True for a word of a title ("Minister", "Bundeskanzler", "rzecznika") in a name;
    with ``genitive``, also for a capitalised genitive that completes one ("Turcji")."""
    lower = word.rstrip(".").lower()
    if g is _ENGLISH:
        return lower in _TITLE_WORDS or lower.split("-")[0] in _TITLE_WORDS
    if lower in g.title_words or g.role_word.fullmatch(word) is not None:
        return True
    if (
        genitive
        and g.genitive_title is not None
        and word[:1].isupper()
        and g.genitive_title.fullmatch(lower)
        and lower not in g.genitive_names
    ):
        return True
    last = word.rsplit("-", 1)[-1]  # "Vice-président", "Вице-канцлер"
    return last != word and g.role_word.fullmatch(last) is not None


def _particle_pair(text: str, tokens: list[tuple[int, int]], k: int, g: _Grammar) -> bool:
    """The article of "von der Leyen": a particle only right after "von" or "van"."""
    word = text[tokens[k][0] : tokens[k][1]]
    return (
        g is not _ENGLISH
        and word in ("der", "den", "dem")
        and k > 0
        and text[tokens[k - 1][0] : tokens[k - 1][1]] in ("von", "van")
    )


# Italian surnames that open with an article or a preposition ("Salvatore Lo Presti",
# "Ignazio La Russa", "Luigi Di Maio"): capitalised, after a first name
_CAPITAL_PARTICLES = {"it": frozenset("Lo La Li Di De Del Della Da Dal Dalla".split())}


def _capital_particle(text: str, tokens: list[tuple[int, int]], k: int, g: _Grammar) -> bool:
    """ "Le" in "Marine Le Pen": a capitalised particle between a first name and a surname."""
    if g is _ENGLISH or k == 0:
        return False
    word = text[tokens[k][0] : tokens[k][1]]
    before = text[tokens[k - 1][0] : tokens[k - 1][1]]
    return (
        (word.lower() in g.particles or word in _CAPITAL_PARTICLES.get(g.lang, ()))
        and before[:1].isupper()
        and before not in g.stop_caps
        and not _title_word(before, g)
    )


def _match_mention(
    text: str, match: re.Match[str] | None, g: _Grammar = _ENGLISH
) -> _Mention | None:
    """The speaker a pattern found: its first filled one-letter group.

    Group ``d`` is a speech verb without subject ("– powiedział."): a pronoun at the verb.
    """
    if match is None:
        return None
    dropped = None
    for name, value in match.groupdict().items():
        if value is None or len(name) != 1:
            continue
        if name == "d":
            dropped = _Mention("pronoun", match.start(name), match.end(name), value)
            continue
        mention = _mention(text, match.start(name), match.end(name), g)
        if mention is not None and g is not _ENGLISH and _common_word(text, mention):
            return None
        return (
            _appositive_name(text, mention, match.end(name), match.end(), g)
            or _name_before_role(text, mention, g)
            or _name_after_role(text, mention, g)
            or mention
        )
    return dropped


# The rest of a sentence after a role: no comma, quote mark or clause, and a name at its end
_ROLE_REST = re.compile(r"[^,;:!?.…\"“”„«»\r\n]{1,160}?(?=[.!?…]*\s*$)")


def _name_after_role(text: str, mention: _Mention | None, g: _Grammar) -> _Mention | None:
    """The person a role with a long complement introduces where the sentence ends:
    "говорит эксперт по России из Королевского института международных отношений
    (Чатем-Хаус) Кир Джайлс." (the complement takes lower-case words, so the role ended at
    "по России")."""
    # Slavic complements are genitives without a preposition; there "что" / "że" follow a
    # comma, so the rest of a sentence without one is no reported clause ("L'esercito russo
    # ritiene che ... gli Stati Uniti" in Italian is)
    if g.lang not in ("pl", "ru") or mention is None or mention.kind != "description":
        return None
    stop = g.sentence_end.search(text, mention.end, min(len(text), mention.end + 200))
    if stop is None:
        return None
    rest = text[mention.end : stop.start()]
    if _ROLE_REST.fullmatch(rest) is None:
        return None
    words = list(_NONSPACE.finditer(rest))
    if len(words) < 3:
        return None
    first = words[-2].start()
    name = [m.group() for m in words[-2:]]
    if not all(w[:1].isupper() and not w.isupper() for w in name):
        return None  # "związanych ze szczepieniami", "директор Института Европы РАН"
    person = _mention(text, mention.end + first, mention.end + words[-1].end(), g)
    if person is None or person.kind != "name" or len(person.text.split()) < 2:
        return None
    return person


def _name_comma(g: _Grammar) -> re.Pattern[str]:
    """A name and a comma ending where the text searched ends (one per language: hashing
    a grammar costs more than the search)."""
    pattern = _NAME_COMMA.get(g.lang)
    if pattern is None:
        pattern = _NAME_COMMA[g.lang] = re.compile(rf"(?P<n>{g.run_full.pattern}),\s*$")
    return pattern


_NAME_COMMA: dict[str, re.Pattern[str]] = {}


def _name_before_role(text: str, mention: _Mention | None, g: _Grammar) -> _Mention | None:
    """The person a role found as the subject is an appositive of, when a sentence opens
    with the name: "Wiaczesław Wołodin, przewodniczący Dumy Państwowej, komentując ...,
    ocenił" (the subject pattern takes one appositive, so it began at the role)."""
    if mention is None or mention.kind != "description":
        return None
    lo = max(0, mention.start - 60)
    found = _name_comma(g).search(text, lo, mention.start)
    if found is None:
        return None
    start = found.start("n")
    if g is _ENGLISH:  # no sentence determiners: only spaces since a stop or the text's start
        pieces = _STOP.split(text[max(0, start - 60) : start])
        opens = not pieces[-1].strip() and (len(pieces) > 1 or start <= 60)
    else:
        opens = _opens_sentence(text, start, g)
    if not opens:
        return None
    return _person_beside(text, start, found.end("n"), mention, g, _introduced)


def _person_beside(
    text: str,
    start: int,
    end: int,
    role: _Mention,
    g: _Grammar,
    named: Callable[[_Mention], bool],
) -> _Mention | None:
    """The person named in ``text[start:end]`` next to ``role`` (their title unless they
    have one), when ``named`` accepts the name and it is no organisation or title alone."""
    person = _mention_of_span(text, start, end, g)
    if person is None or person.kind != "name" or not named(person):
        return None
    if _organisation(person) or all(_title_word(word, g) for word in person.text.split()):
        return None
    if not person.title:
        person.title = text[role.start : role.end]
    return person


# ", Matthew Collins," between a subject and its verb
_APPOSITIVE = re.compile(r"\s*,\s*(?P<n>[^,\"“”„«»()\r\n]{3,60}?)\s*,")


def _appositive_name(
    text: str, mention: _Mention | None, at: int, hi: int, g: _Grammar
) -> _Mention | None:
    """The person named between commas after a subject that is no person's name: "A
    researcher with the organisation, Matthew Collins, said", "The former editor of the
    Guardian, Alan Rusbridger, called", "Rzecznik Kremla, Dmitrij Pieskow, powiedział"."""
    if mention is None or mention.kind == "pronoun":
        return None
    found = _APPOSITIVE.match(text, at, hi)
    if found is None:
        return None
    if mention.kind == "name" and len(mention.text.split()) >= 2 and not _organisation(mention):
        return None  # "John Smith, Mary's lawyer, said": the subject is the person
    if not g.run_full.fullmatch(text, found.start("n"), found.end("n")):
        return None  # "Microsoft, Apple's rival, said"
    return _person_beside(
        text, found.start("n"), found.end("n"), mention, g, lambda p: len(p.text.split()) >= 2
    )


def _common_word(text: str, mention: _Mention) -> bool:
    """A one-word "name" the article also writes in lower case: "Otóż", "Часто", "Schließlich".

    Sentence-initial adverbs and nouns are capitalised like names; their lower-case use
    elsewhere in the article gives them away.
    """
    if mention.kind != "name" or " " in mention.text:
        return False
    word = mention.text.lower()
    if word == mention.text:
        return False
    if _WORD_RUN.fullmatch(word):
        return word in _word_runs(text)  # one pass over the text, not one per mention
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


_WORD_RUN = re.compile(r"[\w-]+")


@lru_cache(maxsize=4)
def _word_runs(text: str) -> frozenset[str]:
    """The maximal runs of word characters and hyphens in ``text``: a word occurs with no
    word character or hyphen on either side exactly when it is one of them."""
    return frozenset(_WORD_RUN.findall(text))


# After a quote's finished sentence, "X said, "..."" introduces the next quote.
_NEXT_QUOTE = re.compile(rf"\s*[,:]\s*[\"{_OPEN_GLYPHS}]")
# ... or later in that sentence: "“... in the region.” IRGC commander Mohammad Ali Jafari
# said on October 8th that "if the news is correct ...""
_NEXT_QUOTE_LATER = re.compile(
    rf"[^.!?…\"{_OPEN_GLYPHS}\r\n]{{0,80}}\s(?:that|que|qu[’']|dass|che|że|что)\s*[\"{_OPEN_GLYPHS}]"
)


def _introduces_next(text: str, piece: _Piece, end: int) -> bool:
    """ "“Now you are a priest.” The new priest said, “No, never.”": the words after the
    first quote name who speaks the second, not the first."""
    return text[piece.start : piece.end].rstrip()[-1:] in ".!?…" and bool(
        _NEXT_QUOTE.match(text, end) or _NEXT_QUOTE_LATER.match(text, end)
    )


@cache
def _label_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """The labelling verbs, in lower case ("the Final Call" calls nobody)."""
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


# English labelling verbs the labeller does not read: nouns ("in terms of"), and participles
# whose subject lies anywhere in the sentence ("Graham lambasted the process, calling it").
_NOT_LABELLING = frozenset("term terms calling describing labelling labeling referring".split())
_LABELLING_PARTICIPLES = frozenset("calling describing labelling labeling".split())
# A sentence opening with its subject and a finite verb ("Dana Whitfield fired back ...")
_LABELLER_SUBJECT = re.compile(
    rf"\s*(?P<a>{_PRON}|{_BODY_TITLE}|{_LOWER_TITLE}|{_TOKEN}\s+{_RUN})(?:\s*,[^,]{{1,80}},)?"
    rf"\s+(?:{_AUX}\s+)*(?:[a-z]+ed|said|told|wrote|spoke|hit|struck|shot|threw|took|went)\b"
)
# Words that may stand between a passive or adjectival "called" and its label ("a man
# called “progressive”", "dubbed the “black death”", "described as a “former official”").
_LABEL_LINKS = frozenset("a an the as to".split())
_FIRST_MARK = re.compile(rf"[\"{_OPEN_GLYPHS}]")  # an opening quote mark
_AUTHOR = frozenset("i i’ve i've we".split())
# French and Italian labelling participles with no auxiliary before them are passive ("la
# mission dite « de paix »", "il contingente definito"); "a qualifié", "ha definito" label.
_PASSIVE_LABEL = {
    "fr": (
        re.compile(r"(?:é|ée|és|ées|it|ite|its|ites)$"),
        frozenset("a ont avait avaient aurait auraient avoir ayant eut eurent aura auront".split()),
    ),
    "it": (
        re.compile(r"(?:ato|ata|ati|ate|ito|ita|iti|ite)$"),
        frozenset("ha hanno aveva avevano avrebbe avrebbero avere avendo".split()),
    ),
}


# Past participles that no present tense shares (French -é, Italian -ato / -ito): after a
# subject with no "have" before them they are passive or adjectival ("le gouvernement
# accusé de", "il ministro accusato di"), and the subject says nothing
_REGULAR_PARTICIPLE = {
    "fr": re.compile(r"\w+(?:é|ée|és|ées)$"),
    "it": re.compile(r"\w+(?:ato|ata|ati|ate|ito|ita|iti|ite)$"),
}


def _passive_after(text: str, pos: int, g: _Grammar) -> bool:
    """Whether the verb after a subject ending at ``pos`` is a French or Italian past
    participle with no "have" before it: passive or adjectival, so the subject says nothing."""
    if g.lang not in _REGULAR_PARTICIPLE:
        return False
    seen = []
    for match in _WORD.finditer(text, pos, pos + 80):
        if text[pos : match.start()].strip():
            return False  # an apposition between ("Il ministro, intervistato da ..., ha detto")
        pos = match.end()
        word = match.group().lower()
        if word in g.aux_words:
            seen.append(word)
            continue
        return bool(_REGULAR_PARTICIPLE[g.lang].fullmatch(word)) and not (
            _PASSIVE_LABEL[g.lang][1].intersection(seen)
        )
    return False


def _passive_label(text: str, lo: int, verb: re.Match[str], g: _Grammar) -> bool:
    """Whether a French or Italian labelling participle has no auxiliary before it, and so
    is passive or adjectival ("la mission dite « de paix »", "il contingente definito")."""
    if g.lang not in _PASSIVE_LABEL:
        return False
    participle, auxiliaries = _PASSIVE_LABEL[g.lang]
    previous = text[max(lo, verb.start() - 40) : verb.start()].split()
    # past adverbs between: "Il sindaco ha inoltre accusato"
    while previous and previous[-1].lower() in g.aux_words - auxiliaries:
        previous.pop()
    return participle.search(verb.group()) is not None and (
        not previous or previous[-1].lower() not in auxiliaries
    )


_LABELLING_GERUNDS = frozenset("назвав охарактеризовав".split())
_NAME_BEFORE_GERUND = re.compile(r"(?P<n>(?:[А-ЯЁ][\w-]*\s+){1,2}[А-ЯЁ][\w-]*),\s*$")
# English verbs that label only with "as" right before the quote: "Holt slammed the plan as
# a “disgrace”", "Farrakhan has repeatedly denounced Jews as “satanic”" (without "as", the
# quote after "slammed the" may be the author's scare quotes).
_AS_VERBS = frozenset(
    """
    slam slams slammed slamming blast blasts blasted blasting denounce denounces denounced
    denouncing condemn condemns condemned condemning criticize criticizes criticized
    criticizing criticise criticises criticised criticising dismiss dismisses dismissed
    dismissing deride derides derided deriding decry decries decried decrying lambast
    lambasts lambasted lambasting mock mocks mocked mocking ridicule ridicules ridiculed
    ridiculing praise praises praised praising hail hails hailed hailing tout touts touted
    touting characterize characterizes characterized characterizing characterise
    characterises characterised characterising portray portrays portrayed portraying
    """.split()
)
_AS_LABELLING = re.compile(
    rf"(?<![\w-])(?:{'|'.join(sorted(_AS_VERBS))})(?![\w-])"
    # (not the conjunction: "criticized the budget just as “The Daily Show” aired", "praised
    # the players as well as the “so-called experts”")
    r"(?=[^.!?;:\"“”«»\r\n]{0,80}?(?<![\w-])(?<!just\s)(?<!well\s)(?<!such\s)(?<!same\s)"
    r"(?<!so\s)as\s+(?:(?:a|an|the)\s+)?$)"
)
LABEL_CONTEXT = 80  # characters before a labelling verb read for its subject's last word
ACCUSATION_CONTEXT = 80  # an accusing verb cues a quote opening at most this far after it
# Before such a verb, a subject that labels: "whom he referred to as the “Great Satan”".
_LABELLING_PRONOUNS = frozenset("he she they who whom".split())


def _labeller(text: str, lo: int, open_: int, g: _Grammar) -> _Mention | None:
    """Who puts the quoted label in someone's mouth: the subject of the labelling verb
    before the quote in its sentence ("Donald Trump called the media “fake news”", "Сергей
    Лавров назвал план «катастрофой»")."""
    verbs = list(_label_pattern(g.label_words).finditer(text, max(lo, open_ - 250), open_))
    if g is _ENGLISH:
        verbs += _AS_LABELLING.finditer(text, max(lo, open_ - 250), open_)
        verbs.sort(key=lambda m: m.start())
    if not verbs:
        return None
    verb = verbs[-1]
    if verb.group() in _LABELLING_GERUNDS:
        # "Джо Байден осудил это решение, назвав его "печальным днем"": the gerund's subject
        # is the person who opens the sentence, or the name right before its comma
        # ("... подошел публицист Егор Холмогоров, назвав его заявление «...»")
        opening = _opening_person(text, lo, verb.start(), g)
        if opening is not None:
            return opening
        name = _NAME_BEFORE_GERUND.search(text, lo, verb.start())
        if name is None:
            return None
        mention = _mention_of_span(text, *name.span("n"), g)
        if mention is None or mention.kind != "name" or not _introduced(mention):
            return None
        return mention
    if g is _ENGLISH:
        participle = verb.group().endswith("ing") and verb.group() in _AS_VERBS
        if verb.group() in _LABELLING_PARTICIPLES or participle:
            # "White House press secretary Dana Whitfield fired back, calling the vote "..."":
            # the participle's subject is the sentence's, when a speaker opens it
            mention = _match_mention(text, _LABELLER_SUBJECT.match(text, lo, verb.start()), g)
            if mention is None or mention.kind == "description" or mention.text in _STOP_CAPS:
                return None
            return mention
        if verb.group() in _NOT_LABELLING:
            return None
        # the words right before the verb (a window, not the sentence: a long sentence of
        # many labels would make this grow with the square of the text)
        before = text[max(lo, verb.start() - LABEL_CONTEXT) : verb.start()].split()
        if before and before[-1].endswith(("’s", "'s")):
            return None  # a noun: "Archbishop Viganò’s call for"
        while before and before[-1].lower() in _AUX_WORDS:  # "whom Carlson has dubbed"
            before.pop()
        # up to the verb's first quote: "a man called “progressive” ... “champion”" is passive
        label = _FIRST_MARK.search(text, verb.end(), open_)
        label_at = label.start() if label else open_
        if all(w.lower() in _LABEL_LINKS for w in text[verb.end() : label_at].split()):
            last = before[-1] if before else ""
            person = last.lower() in _LABELLING_PRONOUNS or (
                last[:1].isupper() and last not in _STOP_CAPS and not last.endswith("ly")
            )
            if not person:  # passive or adjectival: "also called “Principlism”"
                return None
    elif _passive_label(text, lo, verb, g):
        return None  # "le contingent de police décrit ci-dessus": a participle, no subject
    mention = _subject(text, lo, verb.start(), g, verb.end())
    if mention is None:
        return None
    if mention.text.lower() in _AUTHOR:
        return None  # "what I’ve called above a “chopping block”": the author's own label
    if g.lang == "de" and mention.kind == "name" and " " not in mention.text:
        if mention.start < verb.start():
            return None  # "durch den digitalen Sektor sprechen": a noun, not a name
    return mention


# A sentence that opens by pointing back at what was just quoted, before its verb and
# speaker: it "Lo ha detto X", ru "Об этом заявил X", de "Das sagte X", fr "C'est ce qu'a
# déclaré X", pl "Tak / To powiedział X".
_SAID_THIS = {
    "it": re.compile(r"(?:Lo|Così)\b"),
    "ru": re.compile(r"(?:Об\s+этом|С\s+таким\s+(?:мнением|заявлением|предупреждением))\b"),
    "de": re.compile(r"(?:Das|Dies|Mit\s+diesen\s+Worten|So)\b"),
    "fr": re.compile(r"C[’']est\s+ce\s+qu[’']"),
    "pl": re.compile(r"(?:Tak|To)\b"),
}


def _said_this(
    text: str, sentences: list[tuple[int, int]], close: int, g: _Grammar
) -> _Mention | None:
    """The speaker named by the next sentence when it says that it reported the quote's
    sentence ("“…” la Federazione Russa. Lo ha detto il vicepresidente ..., Dmitri
    Medvedev"): only a name or a described speaker right after the verb."""
    index = bisect_right(sentences, (close, float("inf"))) - 1
    if index < 0 or index + 1 >= len(sentences):
        return None
    return _said_this_speaker(text, *sentences[index + 1], g)


def _said_this_speaker(text: str, start: int, end: int, g: _Grammar) -> _Mention | None:
    """Who the sentence ``text[start:end]`` says reported the one before it ("Lo ha detto
    X", "Об этом сообщил X", "Das sagte X"), if it is such a sentence."""
    lead = _SAID_THIS[g.lang].match(text, start, end)
    if lead is None:
        return None
    match = g.post.match(text, lead.end(), end)
    if match is None and g.said_post is not None:
        match = g.said_post.match(text, lead.end(), end)
    if match is None and g.lang == "it" and text[lead.start() : lead.end()] == "Così":
        # no verb: "Così il ministro dell’Interno, Luciana Lamorgese, a margine di ..."
        at = lead.end() + len(text[lead.end() : end]) - len(text[lead.end() : end].lstrip())
        named = g.named.match(text, at, end)
        if named is not None and text[named.end() : named.end() + 1] in (",", "."):
            mention = _mention(text, named.start(), named.end(), g)
            return mention if mention is not None and mention.kind == "name" else None
    if match is None or match.lastgroup != "b":
        return None
    mention = _match_mention(text, match, g)
    if mention is not None and mention.kind == "name" and " " not in mention.text:
        return None  # a declined word of a title ("главы Совета безопасности"), not a name
    return mention


def _quote_utterance(
    text: str,
    group: list[_Piece],
    paragraphs: list[tuple[int, int]],
    sentences: list[list[tuple[int, int]]],
    g: _Grammar,
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
    # a name in quotes mid-sentence ("noto come “Le Nouvel Observateur”, Zbigniew
    # Brzeziński, ..., ha affermato") is nobody's words, whoever speaks after it
    name = first.open >= 0 and _quoted_name(text, first.start, last.end, g)
    # a quote split by its attribution has it after the first part
    for piece in group if not name else ():
        if piece.close is not None:
            hi = paragraphs[_paragraph_index(paragraphs, piece.close)][1]
            match = g.post.match(text, piece.close + 1, hi)
            if match is not None and _introduces_next(text, piece, match.end()):
                continue
            if (
                match is not None
                and g is not _ENGLISH
                and text[: first.open].rstrip().endswith(":")  # "Faeser sagte: „…“"
                and _next_sentence(text, piece, match, g)
            ):
                match = None
            mention = _match_mention(text, match, g)
            if mention is None or mention.kind == "pronoun":
                # (a pro-drop verb stands as a pronoun: "ha detto dal palco ... Valentina Orrù")
                mention = _distant_speaker(text, piece.close, hi, g) or mention
            if mention is not None:
                break
    if (mention is None or mention.kind == "pronoun") and standalone and last.close is not None:
        # (a pro-drop verb stands as a pronoun: "ha scritto uno dei commentatori")
        mention = _someone_after(text, last.close, paragraphs, g) or mention
    cued = as_label = False
    if first.open >= 0:
        window = (max(sentence_start, first.open - 250), first.open)
        before = _words(text, *window, g)
        labels = g.label_words.intersection(before)
        cued = bool(labels - g.accuse_words) or (
            bool(labels)
            and not g.accuse_words.isdisjoint(
                _words(text, max(window[0], first.open - ACCUSATION_CONTEXT), first.open, g)
            )
        )
        if not cued and not g.cue_words.isdisjoint(before):
            cued = g.cue_phrase is None or g.cue_phrase.search(text, *window) is not None
        as_label = g is _ENGLISH and _AS_LABELLING.search(text, *window) is not None
        cued = cued or as_label
        if mention is None and not name:
            mention = _speaker_before(text, sentence_start, first.open, before, g)
    labelled = False
    if mention is None and first.open >= 0 and (as_label or not g.label_words.isdisjoint(before)):
        mention = _labeller(text, sentence_start, first.open, g)
        labelled = mention is not None
    if mention is None and first.open >= 0 and para > 0:
        mention = _announced_speaker(text, paragraphs, sentences, para, first.open, g)
    if mention is None and not cued and g.lang in _SAID_THIS and last.close is not None:
        mention = _said_this(text, sentences[last_para], last.close, g)
    if mention is None:
        mention = _inserted_speaker(text, group, g)
    if mention is None and last.close is not None:
        mention = _signed_speaker(text, last.close + 1, g)
    if mention is None and g is _ENGLISH and first.open >= 0:
        mention = _transcript_speaker(text, paragraphs[para][0], first.open, g)
    spans = [(p.start, p.end) for p in group]
    return _Utterance(
        "quoted", spans, para, last_para, mention, standalone=standalone, cued=cued,
        labelled=labelled,
    )  # fmt: skip


def _next_sentence(text: str, piece: _Piece, match: re.Match[str], g: _Grammar) -> bool:
    """Whether a subject and its verb after a quote open the next sentence: the quote ends
    its own with a full stop inside and no comma or dash joins them ("Faeser sagte: „… an.“
    Die Opposition forderte eine Sondersitzung"), where "„…“, sagte X" has one. (Asked only
    of a quote a colon introduced: "“La bataille n'est pas gagnée.” La Première ministre
    Elisabeth Borne a annoncé ..." names its speaker in the next sentence. A pronoun there
    goes on with the speaker: "L'élu n'a pas mâché ses mots : « … » Il a ajouté ...")"""
    if match.groupdict().get("c") is None or piece.close is None:
        return False
    if g.pron_full.fullmatch(match.group("c")):
        return False
    joined = text[piece.close + 1 : match.start("c")].strip()
    return not joined and text[piece.start : piece.end].rstrip()[-1:] in ".!?…"


def _someone_after(
    text: str, close: int, paragraphs: list[tuple[int, int]], g: _Grammar
) -> _Mention | None:
    """Someone new and unnamed who speaks the quote closing at ``close``: "— написал один
    из комментаторов", "," one commenter wrote" (a description, so that the quote does not
    pass to the speaker of the quote before). The speaker before the verb needs a comma
    ending the quote: after "…." a new sentence starts ("Another lesson asks ...")."""
    if g.someone is None:
        return None
    hi = paragraphs[_paragraph_index(paragraphs, close)][1]
    match = g.someone.match(text, close + 1, hi)
    if match is None:
        return None
    if match.group("d") is None:
        if text[close - 1] != "," and not match.group().lstrip().startswith(","):
            return None
        if _WHICH.search(match.group("e")):  # "“high trust society,” one in which ..."
            return None
    start, end = _strip(text, *match.span("d" if match.group("d") is not None else "e"))
    return _Mention("description", start, end, text[start:end])


# Words between a speech verb and the full name of its speaker, in lower case ("ha detto dal
# palco improvvisato sul cassone di un camion Valentina Orrù, ..."); where or when it was said
DISTANT_SPEAKER_WORDS = 10
_DISTANT_LANGUAGES = ("fr", "it", "pl", "ru")
# Gerunds and participles, which take the name after them as their object: it "incontrando",
# fr "saluant" (after "en"), pl "pozdrawiając", ru "приветствуя"
_OBJECT_TAKING = {
    "it": re.compile(r"\w+(?:ando|endo)"),
    "fr": re.compile(r"\w+ant"),
    "pl": re.compile(r"\w+(?:ąc|wszy)"),
    "ru": re.compile(r"\w+(?:вая|яя|ая|уя|ив|ав|ев|ыв)"),
}
_NEVER = re.compile(r"(?!x)x")
# Polish and Russian last names in a case other than the nominative (genitive, dative,
# instrumental): "Kowalskiego", "Nowakowi", "Петровой", "Иванова" (also a nominative of
# "Иванова"?: a woman's; only the masculine genitive "-ого"/"-ова" after a man's first name
# would tell, so the endings here are those no nominative has)
_OBLIQUE_NAME = re.compile(r"(?:ego|emu|iej|owi|owa|ową|ą|ого|ому|ой|ым|ыми)$")
_HONORIFIC_WORDS = frozenset("me mme mlle m dr pr prof sig dott avv on pan pani".split())
_LEADING_PUNCTUATION = re.compile(r"[^\S\r\n]*,?[^\S\r\n]*(?:[-–—][^\S\r\n]*)?")


def _distant_speaker(text: str, close: int, hi: int, g: _Grammar) -> _Mention | None:
    """The speaker named after a speech verb and a phrase of where or when ("«…», ha detto
    dal palco improvvisato sul cassone di un camion Valentina Orrù, segretaria ...", "– ... –
    mówił na konferencji prasowej starosta Tomasz Wróblewski."): a full name opening with a
    known first name, after words in lower case only, where the clause ends. ``close`` is the
    quote's closing mark or the dash that ends dash dialogue. French, Italian, Polish and
    Russian (German nouns are capitalised)."""
    if g.lang not in _DISTANT_LANGUAGES:
        return None
    lead = _LEADING_PUNCTUATION.match(text, close + 1, hi)
    if lead is None or not (lead.group().strip() or text[close] in "-–—,"):
        return None  # a comma or a dash joins the attribution to the quote
    words = list(_WORD.finditer(text, lead.end(), min(hi, lead.end() + 200)))
    k = 0
    while k < len(words) and words[k].group().lower() in g.aux_words:
        k += 1
    if k >= len(words) or words[k].group().lower() not in g.cue_words:
        return None
    verb_end = words[k].end()
    for j in range(k + 1, min(len(words) - 1, k + 2 + DISTANT_SPEAKER_WORDS)):
        first, last = words[j], words[j + 1]
        if re.search(r"[^\w\s’'-]", text[words[j - 1].end() : first.start()]):
            return None  # the clause ended before a name came
        if not first.group()[:1].isupper():
            continue
        if first.group().lower() in _HONORIFIC_WORDS and j + 2 < len(words):
            first, last = words[j + 1], words[j + 2]  # "Me Claire Dumontet", "Mme …"
        if j == k + 1 or not last.group()[:1].isupper():
            return None  # right after the verb the usual patterns read it; a word alone
        if first_name_gender(first.group(), g.lang) is None:
            return None
        between = [w.group().lower() for w in words[k + 1 : j]]
        if between[-1] in g.function_words or any(g.pron_full.fullmatch(w) for w in between):
            return None  # "ai giornalisti di Marco Rossi": whose, to whom; "ha detto lui"
        if any(_OBJECT_TAKING.get(g.lang, _NEVER).fullmatch(w) for w in between):
            return None  # "ha detto ieri incontrando Marco Rossi": the gerund's object
        if g.lang in ("pl", "ru") and _OBLIQUE_NAME.search(last.group()):
            return None  # "obrońca oskarżonego Jana Kowalskiego": a genitive, not who speaks
        end = last.end()
        if re.match(r"\s*(?:[,.;:!?…]|$)", text[end:hi]) is None:
            return None
        mention = _mention_of_span(text, first.start(), end, g)
        if mention is None or mention.kind != "name" or "," in text[verb_end : first.start()]:
            return None
        return mention
    return None


_WHICH = re.compile(
    r"\b(?i:which|whom|dont|lequel|laquelle|welche[rsmn]?|cui|który|która|которы\w*)\b"
)


_WORD_PARTS = re.compile(r"[-'’]")
_ELIDED = re.compile(r"\w{1,3}['’][^\W\d_]")  # "L'allarme": an article, not a name


def _speaker_before(
    text: str, lo: int, open_: int, words: set[str], g: _Grammar
) -> _Mention | None:
    """The speaker named before a quote opening at ``open_``, in ``text[lo:open_]`` (whose
    last 250 characters' ``words`` are given): "X said: "..."", or "Name, title: "...""."""
    mention = None
    if not g.cue_words.isdisjoint(words):
        match = g.pre.search(text, max(lo, open_ - 250), open_)
        mention = _match_mention(text, match, g)
        if match is not None and match.group("a") and _passive_after(text, match.end("a"), g):
            mention = None  # "le gouvernement accusé de « trahir »": the accused says nothing
        if (
            mention is not None
            and g is not _ENGLISH
            and match.group("a")
            and mention.kind == "name"
            and " " not in mention.text
            and not mention.title
        ):
            before = text[max(lo, match.start("a") - 30) : match.start("a")].split()
            if before and before[-1].lower() in _PREPOSITIONS.get(g.lang, ()):
                mention = None  # "ieri sera a Porta a Porta ha detto": a place (not "la Meloni")
        if g.lang == "de" and match is not None and match.group("a"):
            # "Frank Weidemann hatte in der vergangenen Woche erklärt: „…“": not "Woche"
            verb = _WORD.search(text, match.end("a"), open_)
            perfect = _perfect_subject(text, lo, verb.start(), g) if verb else None
            mention = perfect or mention
        # "Dazu sagte Janine Wissler:": the pattern took "Dazu" for the speaker, a common
        # word; a full name after the verb is. A pronoun or a single capitalised word there
        # is not taken ("Das erklärte Ziel war: ..." is no speech).
        later = match
        for _ in range(3):
            if mention is not None or later is None:
                break
            later = g.pre.search(text, later.start() + 1, open_)
            found = _match_mention(text, later, g)
            if (
                found is not None
                and found.kind == "name"
                # a full name, or a last name the article writes in full elsewhere
                and (len(found.text.split()) >= 2 or _full_name_elsewhere(text, found.text, g))
            ):
                match, mention = later, found
        if match is not None and match.group("a") is not None:
            start, end = match.span("a")
            interview = _interview_before(text, max(lo, start - 120), end + 1, g)
            if interview is not None:  # "X в беседе с корреспондентом ТАСС заявил:"
                return _subject(text, lo, interview, g)
            if mention is not None and mention.text.lower() in _OBJECT_PRONOUNS.get(g.lang, ()):
                # "Le journaliste lui a demandé :": "lui" is whom he asked
                return _subject(text, lo, start, g)
    if mention is None and g.named is not None:
        mention = _colon_speaker(text, lo, open_, g)
    # (not German, whose capitalised nouns open sentences like names: "In Sachen Maskenpflicht
    # kommt der Bericht zu der Aussage:")
    if mention is None and g.lang != "en" and g.named is not None:
        mention = _colon_clause_subject(text, lo, open_, g)
    if (
        mention is None
        and g is _ENGLISH
        and open_ - lo <= COORDINATED_REACH
        and ("and" in words or text.find(",", lo, open_) >= 0)
    ):
        mention = _coordinated_speaker(text, lo, open_)
    if mention is None and g.drop_subject:
        mention = _dropped_colon_subject(text, lo, open_, g)
    return mention


# Prepositions (and German articles, whose nouns are capitalised) before a capitalised word
# that make it no speaker: "a Porta a Porta ha detto", "Zu den Ursachen erklärte"
_PREPOSITIONS = {
    "it": frozenset("a al alla ai in nel nella su sul sulla da dal dalla per con tra fra".split()),
    "fr": frozenset("à au aux en dans sur par pour avec chez".split()),
    "de": frozenset(
        "in im auf an am bei beim von vom zu zum zur nach aus mit über unter vor der die das "
        "den dem des ein eine einer einem einen".split()
    ),
    "pl": frozenset("w we na z ze do od przy po o dla u".split()),
    "ru": frozenset("в во на с со к по о от до из у при за".split()),
}
COLON_VERB_COMPLEMENT = 3  # words between a subjectless speech verb and its colon
_COLON_COMPLEMENT_LEADS = {
    "it": frozenset("con a al alla ai agli davanti durante in nel nella rivolto rivolta".split()),
    "pl": frozenset("do z ze w we na przed podczas".split()),
    "ru": frozenset("с со в во на перед".split()),
}


def _dropped_colon_subject(text: str, lo: int, open_: int, g: _Grammar) -> _Mention | None:
    """A speech verb without its subject, a colon, the quote: "Poi ha aggiunto: «…»", "Potem
    dodał: „…”", "Затем добавил: «…»" (also "ha aggiunto, rivolto al governo:"). The subject
    is dropped, as after a quote ("– dodał."): a pronoun at the verb, whose ending may tell
    the speaker's gender."""
    lo, hi = _strip(text, lo, open_)
    if hi - lo < 3 or text[hi - 1] != ":" or hi - lo > 120:
        return None
    comma = text.find(",", lo, hi)
    clause_end = comma if comma >= 0 else hi - 1
    # from the space before and in lower case: the verb may open the sentence ("Powiedział:
    # „…”"; lower case keeps these languages' lengths, and offsets are checked to hold)
    base = max(0, lo - 1)
    clause = text[base:clause_end]
    lowered = clause.lower()
    if len(lowered) == len(clause):
        clause = lowered
    tail = g.speech_tail.search(clause)
    # a few words may follow the verb, led by a preposition: "E ha concluso con una domanda:
    # «…»" (not its subject: "E prosegue l'articolo:")
    words = list(_WORD.finditer(clause))
    leads = _COLON_COMPLEMENT_LEADS.get(g.lang, frozenset())
    for k in range(1, min(COLON_VERB_COMPLEMENT, len(words) - 1) + 1):
        if tail is not None or not text[base + words[-k].start()].islower():
            break
        if words[-k].group() in leads:
            tail = g.speech_tail.search(clause, 0, words[-k - 1].end())
    if tail is None:
        return None
    lead = text[lo : max(lo, base + tail.start())].split()
    openers = _DROP_OPENERS.get(g.lang, frozenset())
    if any(w.lower() not in g.aux_words and w.lower() not in openers for w in lead):
        return None  # a subject, or anything else, before the verb
    start, end = _strip(text, base + tail.start(), base + tail.end())
    verb = _Mention("pronoun", start, end, text[start:end])
    # "Wiceminister Andrzej Kamiński próbował studzić emocje. Powiedział: „…”": the person
    # who opens the sentence before, when the verb's gender fits, not the last speaker
    gender = _pronoun_gender(verb, g)
    previous = _previous_sentence(text, lo, g) if gender is not None else None
    if previous is not None and (person := _opening_person_of_gender(text, previous, gender, g)):
        return person
    return verb


# Pronouns that stand before the verb as its object, not its subject: fr "lui a demandé".
_OBJECT_PRONOUNS = {"fr": frozenset({"lui", "leur"})}


COORDINATED_REACH = 250  # characters of a sentence before the quote read from its start


def _coordinated_speaker(text: str, lo: int, open_: int) -> _Mention | None:
    """English: the subject of "X <verb> ... and said: "..."" or "X <verb> ..., saying, "...""
    in the quote's sentence."""
    if open_ - lo > COORDINATED_REACH or (
        _AND_VERB.search(text, lo, open_) is None
        and _PARTICIPLE_END.search(text, lo, open_) is None
    ):
        return None  # a sentence that long is not read from its start
    mention = _match_mention(text, _OPENING.match(text, lo, open_), _ENGLISH)
    if mention is None:
        # two appositions after a full name with a known first name ("Irmgard Lehner, the
        # pastoral assistant of ..., the other of the two parishes ..., appreciates ...,
        # saying ..."), not after any two capitalised words ("New York, ..., ..., said")
        twice = _match_mention(text, _OPENING_TWO_APPOSITIONS.match(text, lo, open_), _ENGLISH)
        words = twice.text.split() if twice is not None and twice.kind == "name" else []
        mention = twice if len(words) >= 2 and first_name_gender(words[0], "en") else None
    return mention


def _announced_speaker(
    text: str,
    paragraphs: list[tuple[int, int]],
    sentences: list[list[tuple[int, int]]],
    para: int,
    open_: int,
    g: _Grammar,
) -> _Mention | None:
    """A block quote announced by the paragraph before: "Ritter writes:\n\n"..."".

    The quote must open its paragraph and the paragraph before must end with a colon; its last
    sentence is read as if it stood right before the quote. Across a paragraph break a loose
    match misattributes as often as not ("Über das Friedensabkommen sagte er:", "J'ai écrit
    :"), so only a full name ("Sean Davis") or the last name of one written in full elsewhere
    in the article ("Ritter" after "Scott Ritter") is taken.
    """
    lo, hi = paragraphs[para - 1]
    if text[paragraphs[para][0] : open_].strip() or not text[lo:hi].rstrip().endswith(":"):
        return None
    start = max(sentences[para - 1][-1][0] if sentences[para - 1] else lo, lo, open_ - 250)
    mention = _speaker_before(text, start, open_, _words(text, start, open_, g), g)
    if mention is not None and mention.kind == "pronoun" and g is _ENGLISH:
        return mention  # "In a letter to staff, he wrote:": he is resolved as everywhere
    if mention is None or mention.kind != "name":
        return None
    words = mention.text.split()
    if (
        len(words) >= 2
        and all(  # "Henri de Lubac": particles inside a name
            (w[:1].isupper() and w not in g.stop_caps)
            or (0 < k < len(words) - 1 and w in g.particles)
            for k, w in enumerate(words)
        )
    ):
        return mention
    for full in re.finditer(rf"\b([^\W\d_][\w’'-]*)\s+{re.escape(words[-1])}\b", text):
        if full.group(1)[:1].isupper() and full.group(1) not in g.stop_caps:
            return mention  # "Scott Ritter" somewhere: "Ritter" is a person's last name
    return None


# "«Ammiro Zelensky - dichiara Di Maio - ma la storia è terribile»": the attribution set off
# by dashes inside the quote, as Italian and Russian news write it.
_INSERTION = re.compile(r"\s[-–—]\s([^-–—\n]{3,120}?)\s[-–—]\s")


def _inserted_speaker(text: str, group: list[_Piece], g: _Grammar) -> _Mention | None:
    """The speaker named in a dash-delimited insertion inside the quote, if any.

    Only a name right after the speech verb counts ("- dichiara Di Maio -", "— указал
    Владимир Васильев. —"): a description there ("- dice il titolare della Farnesina -")
    or a name further on ("- ha affermato il governatore del Friuli Venezia Giulia -")
    would name the speaker worse than the neighbouring quotes do.
    """
    for piece in group:
        for insertion in _INSERTION.finditer(text, piece.start, piece.end):
            lo, hi = insertion.span(1)
            mention = _match_mention(text, g.post.match(text, insertion.start(), hi), g)
            if mention is None or mention.kind != "name" or mention.end > hi:
                continue
            lead = text[lo : mention.start].split()
            if len(lead) <= 3 and all(w[:1].islower() for w in lead):
                return mention
    return None


# "SMITH: “That’s not for them to know.”": a transcript's speaker label, in capitals.
_TRANSCRIPT_LABEL = re.compile(r"\s*(?P<label>[A-Z][A-Z’'-]+(?: [A-Z][A-Z’'-]+)?)\s*:\s*")


# A quote signed in parentheses, as an epigraph is: "« Quand le mensonge devient la vérité,
# on ne peut plus reculer » (Michel Chossudovsky)"
_SIGNATURE = re.compile(
    r"[^\S\r\n]*\((?P<n>[^()\r\n]{3,60})\)[^\S\r\n]*[.]?(?=\s*$|[^\S\r\n]*[\r\n])"
)


def _signed_speaker(text: str, after: int, g: _Grammar) -> _Mention | None:
    """The person whose name, in parentheses, ends the line right after a quote."""
    match = _SIGNATURE.match(text, after)
    if match is None or not g.run_full.fullmatch(match.group("n")):
        return None
    person = _mention_of_span(text, match.start("n"), match.end("n"), g)
    if person is None or person.kind != "name" or len(person.text.split()) < 2:
        return None
    return None if _organisation(person) else person


def _transcript_speaker(text: str, lo: int, open_: int, g: _Grammar) -> _Mention | None:
    """The speaker of a quote that a transcript label opens its paragraph with.

    The label must be a name the article wrote before in ordinary case ("Omar Smith ...
    SMITH:"), so that headline kickers ("GILLUM ELECTION STRATEGY:") and shouted words name
    nobody; the mention is that earlier occurrence, which names the person as the article
    does.
    """
    label = _TRANSCRIPT_LABEL.fullmatch(text, lo, open_)
    if label is None:
        return None
    earlier = _written_elsewhere(text, label.group("label"), 0, lo)
    if earlier is None:
        return None
    mention = _mention(text, earlier.start(), earlier.end(), g)
    return mention if mention is not None and mention.kind == "name" else None


def _written_elsewhere(
    text: str, capitals: str, start: int, end: int | None = None
) -> re.Match[str] | None:
    """The last occurrence in ``text[start:end]`` of words written in capitals ("OMAR
    SMITH") in ordinary case ("Omar Smith"), if any."""
    name = " ".join(w[:1] + w[1:].lower() for w in capitals.split())
    pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    found = list(pattern.finditer(text, start, len(text) if end is None else end))
    return found[-1] if found else None


APPOSITION_WORDS = 12  # "Name, who he is: "..."": at most this many words for who he is


def _colon_speaker(text: str, lo: int, open_: int, g: _Grammar) -> _Mention | None:
    """ "La vicepresidente Usa Kamala Harris: “...”": a person, a colon, then the quote.

    Only a whole sentence start made of a name (with its title), or of a name and a short
    apposition after a comma, counts, and the name must have a first name or a title, so that
    "Das Motto: „...“" stays the author's.
    """
    lo, hi = _strip(text, lo, open_)
    if hi - lo < 3 or text[hi - 1] != ":":
        return None
    lo, hi = _strip(text, lo, hi - 1)
    if g.named is None:
        return None
    if not g.named.fullmatch(text, lo, hi):
        # "Massimo Galli, già direttore di Malattie infettive: "..."": a name, then who he is.
        comma = text.find(",", lo, hi)
        apposition = text[comma + 1 : hi].split() if comma > lo else []
        if (
            not 0 < len(apposition) <= APPOSITION_WORDS
            or not g.named.fullmatch(text, lo, comma)
            or text[lo:comma].isupper()  # "DRAGHI CADE, PUTIN GODE - GRAMELLINI:", a headline
            or any(c in _DOUBLE for c in text[comma:hi])  # "Biden, "l'isterico" ...:"
        ):
            return None
        hi = comma
    if text[lo:hi].split()[0].lower() in g.cue_words:
        return None  # "Scrive Giubilei:": the pattern with the verb finds Giubilei
    mention = _mention(text, lo, hi, g)
    if mention is None or mention.kind != "name":
        return None
    if _introduced(mention) or _full_name_elsewhere(text, mention.text, g):
        return mention  # "Merkel: „...“" where the article names Angela Merkel
    return None


COLON_CLAUSE_CHARS = 300  # "X <verb> ...:" longer than this is not read from its start


def _colon_clause_subject(text: str, lo: int, open_: int, g: _Grammar) -> _Mention | None:
    """Outside English, the person who opens a sentence that ends in a colon before the quote
    ("Немецкая газета Deutsche Wirtschafts Nachrichten пугает ещё больше: «…»", "Premier
    Mateusz Morawiecki nie pozostawił złudzeń: „…”"): a name of two words or with its title,
    then its verb in lower case."""
    lo, hi = _strip(text, lo, open_)
    if hi - lo < 3 or text[hi - 1] != ":" or hi - lo > COLON_CLAUSE_CHARS:
        return None
    mention = _colon_subject_at(text, lo, hi, g)
    fronted = _FRONTED.get(g.lang)
    opening = fronted.match(text, lo, hi) if fronted and mention is None else None
    if opening is not None:
        # "Dopo la seconda archiviazione, Carola Rackete a “La Repubblica” racconta ...:"
        mention = _colon_subject_at(text, opening.end(), hi, g)
    pronoun = _COLON_PRONOUN.get(g.lang)
    if mention is None and pronoun is not None and (match := pronoun.match(text, lo, hi)):
        # "Elle appelle à la grève, avec un mot d'ordre : « … »", "Он был категоричен: «…»":
        # he or she, as the sentence's subject before its verb
        mention = _Mention("pronoun", match.start("p"), match.end("p"), match.group("p"))
    return mention


# A personal pronoun opening a sentence that ends in a colon, then a verb in lower case (not
# the impersonal French "il": "Il y a", "Il faut", "Il est ...")
_COLON_PRONOUN = {
    "fr": re.compile(
        r"(?P<p>Elle|Il)\s+(?!y\b|n['’]|ne\b|faut\b|est\b|était\b|s['’]agit\b|reste\b|semble\b"
        r"|suffit\b|convient\b|paraît\b|importe\b|se\s+peut\b|fait\b|vaut\b)[a-zà-ÿ]"
    ),
    "it": re.compile(r"(?P<p>Lui|Lei)\s+[a-zà-ÿ]"),
    "pl": re.compile(r"(?P<p>On|Ona)\s+[a-ząćęłńóśźż]"),
    "ru": re.compile(r"(?P<p>Он|Она)\s+[а-яё]"),
}


def _colon_subject_at(text: str, lo: int, hi: int, g: _Grammar) -> _Mention | None:
    """`_colon_clause_subject` for a subject at ``lo``."""
    named = g.named.match(text, lo, hi)
    if named is None:
        return None
    appositive = _COLON_APPOSITIVES.match(text, named.end(), hi)
    after = text[appositive.end() if appositive else named.end() : hi]
    if not appositive and "," in named.group() and after.startswith(", "):
        after = after[1:]  # "Le patron de Gazprom, Alexeï Miller, a été clair :"
    if not after[:1].isspace() or not after.lstrip()[:1].islower():
        return None  # the name, then its verb
    if g.lang == "de" and not appositive:
        # German capitalises its nouns, which open sentences like names ("In Sachen
        # Maskenpflicht kommt der Bericht zu der Aussage:"): only a name and its role
        # between commas ("Alastair Crooke, vormals britischer Diplomat, verweist auf ...:")
        return None
    mention = _mention(text, named.start(), named.end(), g)
    if mention is None or mention.kind != "name" or _common_word(text, mention):
        return None
    if appositive and (len(mention.text.split()) < 2 or not _given_name(mention.text.split()[0])):
        return None
    return mention if _introduced(mention) else None


# A phrase of time or circumstance before the subject, set off by a comma or dashes.
_FRONTED = {
    lang: re.compile(
        rf"(?:{words})\s[^,:;\"“”„«»()\r\n–—]{{3,150}}(?:,|\s[–—][^–—:\r\n]{{3,150}}[–—])\s+"
    )
    for lang, words in {
        "fr": "Après|Avant|Pendant|Lors|Dans|En|Face|Depuis|Au|À",
        "it": "Dopo|Prima|Durante|Nel|Nella|Negli|In|Di fronte|Dinanzi|Davanti|Al|Alla|Sul|Sulla",
        "pl": "Po|Przed|Podczas|W|We|Na|Wobec",
        "ru": "После|Перед|Во|В|На|Накануне|Ранее",
    }.items()
}


# The one or two words right before a position, on its line.
_WORDS_BEFORE = re.compile(r"(?:([^\W\d_][\w’'\-]*)[ \t]+)?([^\W\d_][\w’'\-]*)[ \t]+$")


# A participle's phrase before the subject, set off by a comma ("Interrogé sur ..., ",
# "Venue sur place dès le lendemain, ", "Interpellata sulle liste d'attesa, ").
_FRONTED_PARTICIPLE = {
    "fr": re.compile(
        r"[A-ZÉ][a-zéèêëàâîïôûç]+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues)\s[^,:;\"“”«»()]{3,150},\s+"
    ),
    "it": re.compile(r"[A-Z][a-zàèéìòù]+(?:at|ut|it)[oaie]\s[^,:;\"“”«»()]{3,150},\s+"),
}


# One or two appositives between a name and its verb: ", vormals britischer Diplomat,"
_COLON_APPOSITIVES = re.compile(r"\s*,(?:[^,:;\"“”„«»()\r\n]{3,120},){1,2}")


def _introduced(mention: _Mention) -> bool:
    """A name given with a first name or a title ("Angela Merkel", "Kanzlerin Merkel"), not a
    single capitalised word that may be anything ("Das Motto", "Polska")."""
    return " " in mention.text or bool(mention.title)


def _full_name_elsewhere(text: str, last: str, g: _Grammar) -> bool:
    """The article writes ``last`` after a capitalised first name somewhere ("Angela Merkel"),
    not after a capitalised article or preposition ("In Germania", "La Germania")."""
    return last in _after_first_names(text, g.lang)


@lru_cache(maxsize=8)
def _after_first_names(text: str, lang: str) -> frozenset[str]:
    """Every capitalised word of ``text`` that follows a capitalised word that may be a first
    name: one pass over the text however many colons ask (hostile input has thousands)."""
    g = _grammar(lang)
    found = set()
    for pair in _NAME_PAIR.finditer(text):
        word = pair.group(1)
        if (
            word not in g.stop_caps
            and word not in _STOP_CAPS
            and word.lower() not in g.function_words
            and not _title_word(word, g)  # its title words included
        ):
            found.add(pair.group(2))
    return frozenset(found)


# A capitalised word and the capitalised word after it (overlapping: "Anna Maria Rossi")
_NAME_PAIR = re.compile(rf"(?<![\w’'\-])({_UPPER}[^\W\d_]+)\s+(?=({_UPPER}[^\W\d_]+)\b)")


def _words(text: str, lo: int, hi: int, g: _Grammar) -> set[str]:
    """The lower-case words of ``text[lo:hi]``; outside English also their parts ("a-t-il")."""
    words = {w.lower() for w in _WORD.findall(text, lo, hi)}
    if g is not _ENGLISH:
        words |= {part for w in words if not w.isalpha() for part in _WORD_PARTS.split(w)}
    return words


def _paragraph_index(paragraphs: list[tuple[int, int]], pos: int) -> int:
    return max(bisect_right(paragraphs, (pos, float("inf"))) - 1, 0)


# --------------------------------------------------------------------------------------------
# Reported speech.


def _reported(
    text: str,
    sentences: list[list[tuple[int, int]]],
    regions: list[tuple[int, int]],
    g: _Grammar,
) -> list[_Utterance]:
    """Reported clauses of sentences in the author's voice, one utterance per sentence."""
    found = []
    for index, paragraph_sentences in enumerate(sentences):
        reported = set()
        for k, (s, e) in enumerate(paragraph_sentences):
            region = _region_at(regions, s)
            if region is not None and e <= region[1]:
                continue  # the whole sentence is inside a direct quote
            item = _reported_sentence(text, s, e, regions, g)
            if item is not None:
                spans, mention = item
                found.append(_Utterance("reported", spans, index, index, mention, (s, e)))
                reported.add(k)
        if g.lang in _SAID_THIS:
            found += _said_before(text, paragraph_sentences, reported, index, regions, g)
    found.sort(key=lambda u: u.spans[0][0])
    return found


# The signature an embedded post ends with: "— Charlie Kirk (@charliekirk11) November 14,
# 2018", "— LCP (@LCP) July 23, 2022" (at the end of the post's line or on the next one)
_POST_SIGNATURE = re.compile(
    r"(?:^|(?<=\s))[—–-][^\S\r\n]*(?P<n>[^()\s—–-](?:(?!\s-\s)[^()\r\n—–]){0,59}?)"
    r"[^\S\r\n]*\(@\w{1,20}\)"
    r"[^\S\r\n]*[^\r\n]{0,30}\d{4}(?:[^\S\r\n]*г\.?)?[^\S\r\n]*$"
)


def _embedded_posts(
    text: str,
    paragraphs: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    reported: list[_Utterance],
) -> list[_Utterance]:
    """A post embedded from a social network, as pages copy it: its text, then "— Name
    (@handle) Date" on its line or the next. The text is Name's words (quotes inside it stay
    quotes), unless a reported clause there has a speaker of its own."""
    posts = []
    taken = [span for u in reported for span in u.spans]
    for index, (lo, hi) in enumerate(paragraphs):
        end = hi
        while end > lo and text[end - 1].isspace():
            end -= 1
        signature = _POST_SIGNATURE.search(text, lo, end)
        if signature is None:
            continue
        body, para = (lo, signature.start()), index
        if not text[lo : signature.start()].strip():  # the signature on a line of its own
            if index == 0 or _POST_SIGNATURE.search(text, *paragraphs[index - 1]):
                continue
            body, para = paragraphs[index - 1], index - 1
        if any(a < body[1] and b > body[0] for a, b in taken):
            continue
        spans = _clause(text, [body], regions)
        name_start, name_end = _strip(text, *signature.span("n"))
        if spans and name_end > name_start:
            name = _Mention("name", name_start, name_end, text[name_start:name_end], posted=True)
            posts.append(_Utterance("quoted", spans, para, para, name, body))
    return posts


# A block quote has at least this many words: a shorter paragraph after "X said:" is
# more likely a heading or a caption
BLOCK_QUOTE_WORDS = 6


BLOCK_ANNOUNCEMENT = 200  # characters of the sentence before a colon read for who speaks
MAX_NAME_WORDS = 6  # words of a speaker's name or role found there


def _block_quotes(
    text: str,
    paragraphs: list[tuple[int, int]],
    sentences: list[list[tuple[int, int]]],
    regions: list[tuple[int, int]],
    reported: list[_Utterance],
    g: _Grammar,
) -> list[_Utterance]:
    """A paragraph ending "X wrote:" ("The Washington Post explains:", "Dziennikarz
    napisał:") introduces the next one, set off without quote marks (a block quote on the
    page): that paragraph is X's words, when it opens with a letter (no quote, list or dash
    dialogue) and no reported clause in it has a speaker of its own. Quotes inside it stay
    quotes."""
    blocks = []
    taken = [span for u in reported for span in u.spans]
    for index in range(len(paragraphs) - 1):
        lo, hi = paragraphs[index]
        next_lo, next_hi = paragraphs[index + 1]
        if not text[lo:hi].rstrip().endswith(":") or not sentences[index]:
            continue
        s = sentences[index][-1][0]
        # the colon pattern looks at the letter that opens the next paragraph
        colon = next(
            (m for m in g.colon.finditer(text, s, next_lo + 1) if m.end() > hi),
            None,
        )
        # ... or words between the verb and the colon, or "according to X:" ("He wrote in a
        # memo to councillors:", "Selon le Premier ministre Pedro Sanchez :"), as before an
        # opening quote mark
        pre = None
        if colon is None and text[next_lo : next_lo + 1].isalpha():
            # (an announcement is short: a long run of capitals read as one name was slow)
            pre = g.pre.search(text, max(s, hi - BLOCK_ANNOUNCEMENT), hi)
        if (colon is None and pre is None) or any(a < next_hi and b > next_lo for a, b in taken):
            continue
        spans = _clause(text, [(next_lo, next_hi)], regions)
        if sum(len(text[a:b].split()) for a, b in spans) < BLOCK_QUOTE_WORDS:
            continue
        if colon is not None:
            mention = _subject(text, s, colon.start("verb"), g, colon.end("verb"))
        else:
            mention = _match_mention(text, pre, g)
            if mention is not None and len(mention.text.split()) > MAX_NAME_WORDS:
                mention = None  # a run of capitals, not a name
        if mention is not None:
            block = _Utterance("quoted", spans, index + 1, index + 1, mention, (next_lo, next_hi))
            blocks.append(block)
    return blocks


# Interviews and transcripts: a line that opens with a speaker's label ("A:", "HANNITY:",
# "John Pilger:", "JP:") is that speaker's turn, and the turn goes on over the lines after it
# until the next label. The label: one to three words, each starting with a letter.
_TURN_LABEL = re.compile(
    r"[^\S\r\n]*(?P<label>[^\W\d_][\w’'.-]*(?:[ \t][^\W\d_][\w’'.-]*){0,2})"
    r"(?:,[ \t][^\W\d_][^,:\r\n]{0,40})?[ \t]?:[ \t]*(?=\S)"  # "SARAH CARTER, CIRCA NEWS:"
)
# An interview's question and answer labels in each language (lower case): "Q:" / "A:",
# "Frage:" / "Antwort:", "В:" / "О:" ...
_INTERVIEW_LABELS = {
    "en": ("q question", "a answer"),
    "fr": ("q question", "r réponse"),
    "de": ("f frage", "a antwort"),
    "it": ("d domanda", "r risposta"),
    "pl": ("p pytanie", "o odpowiedź"),
    "ru": ("в вопрос", "о ответ"),
}
TURN_LINES = 12  # a turn goes on over at most this many lines after its label's
DENSE_TURNS, DENSE_SHARE = 4, 0.25  # a dense dialogue: 4 labels, on a quarter of its lines
MAX_TURN_LABELS = 40  # distinct labels: more is a list or a table, not a dialogue


def _speaker_turns(
    text: str,
    paragraphs: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    quotes: list[_Utterance],
    reported: list[_Utterance],
    g: _Grammar,
) -> list[_Utterance]:
    """The turns of an interview or a transcript, each in its speaker's voice.

    Only a dialogue counts: labels (the headline aside) give one person two turns, or the
    article has both question and answer labels ("Q:" ... "A:").
    A question is the interviewer's, i.e. the publication's, and stays the author's; an
    answer is the interviewee's: the person the headline and the lines before the first
    label name most often (none: someone unnamed). A person's label must name someone the
    article writes elsewhere ("HANNITY:" and "Sean Hannity", "JP:" and "John Pilger"), so
    that kickers and list items ("WATCH:", "Federation: Belgium") name nobody. Quotes and
    reported clauses inside a turn keep their own speakers; a turn that is a direct quote
    ("Ratzinger: “...”") is the labelled person's quote.
    """
    questions, answers = (frozenset(words.split()) for words in _INTERVIEW_LABELS[g.lang])
    labels = {
        index: label
        for index in range(1, len(paragraphs))
        if (label := _turn_label(text, paragraphs[index], questions | answers)) is not None
    }
    if len(labels) < 2 or len({label.words for label in labels.values()}) > MAX_TURN_LABELS:
        return []
    kinds = {label.kind for label in labels.values()}
    interview = not questions.isdisjoint(kinds) and not answers.isdisjoint(kinds)
    # the words written after a capitalised word, the labels blanked out
    unlabelled = list(text)
    for label in labels.values():
        unlabelled[label.start : label.end] = " " * (label.end - label.start)
    names_elsewhere = _last_names("".join(unlabelled))
    people: dict[str, _Mention | None] = {}  # each label's person, worked out once
    speakers: dict[int, _Mention | None] = {}
    for index, label in labels.items():
        if label.words.lower() in questions | answers:  # "Q:", "Answer:"
            if interview and label.kind in answers:
                speakers[index] = None  # the interviewee, found below
            continue
        if label.words not in people:
            people[label.words] = _label_person(text, label, names_elsewhere, g)
        if people[label.words] is not None:
            speakers[index] = people[label.words]
    # A label that mostly asks and names a publication, written in quotes elsewhere ("Kurier
    # Zagłębia:" after "W rozmowie z „Kurierem Zagłębia”"; not "HANNITY:" nor "Hadeed:", a
    # host's and a lawyer's words), is the interviewer: its questions are the author's.
    asks: dict[str, list[bool]] = {}
    for index, label in labels.items():
        line = text[slice(*paragraphs[index])].rstrip().rstrip("\"'’”»")
        asks.setdefault(label.words, []).append(line.endswith("?"))
    outlets = {
        words
        for words, asked in asks.items()
        # two words at least: a show named after its host ("“Hannity”") is quoted too
        if len(words.split()) >= 2 and len(asked) >= 2 and 2 * sum(asked) >= len(asked)
    }
    if outlets:
        quoted = _quoted_words(text)
        outlets = {words for words in outlets if words.split()[-1][:5] in quoted}
        speakers = {k: p for k, p in speakers.items() if labels[k].words not in outlets}
    # A dialogue gives someone two turns ("HANNITY:" ... "HANNITY:", "John Pilger:" ...
    # "JP:"); a list of people, each once with a description ("Joe Biden: a career
    # politician who ..."), is the author's.
    turns_of = Counter(person.text for person in speakers.values() if person is not None)
    if not (interview and speakers) and max(turns_of.values(), default=0) < 2:
        return []
    first, final = min(labels), max(speakers)
    interviewee = _interviewee(text, 0, paragraphs[first][0], g) if interview else None
    taken = sorted(span for u in reported for span in u.spans)
    # A turn goes on over the lines after it only in a dense dialogue (a transcript whose
    # every sentence is a line), and never after the last speaker's label, where the author
    # takes over again.
    dense = len(labels) >= DENSE_TURNS and DENSE_SHARE * (max(labels) - first + 1) <= len(labels)
    turns = []
    for index, person in speakers.items():
        last = index
        if dense and not _quoted_body(text, labels[index].body, regions):
            while (
                last + 1 < final
                and last + 1 not in labels
                and last - index < TURN_LINES
                and _spoken_line(text[slice(*paragraphs[last + 1])])
            ):
                last += 1
        ranges = [(labels[index].body, paragraphs[index][1])] + paragraphs[index + 1 : last + 1]
        mention = person if person is not None else interviewee
        turn = _turn(text, paragraphs, ranges, index, last, mention, taken, regions)
        if turn is not None:
            turns.append(turn)
        elif person is not None:  # "Ratzinger: “...”": the quote is the labelled person's
            quote = next((q for q in quotes if q.anchor in range(*ranges[0])), None)
            if quote is not None and quote.mention is None:
                quote.mention = person
    return turns


# An interview printed with its questions after a dash and its answers plain ("— Vous n'y
# croyez pas ?" / "Historique ? Ça fait trente ans ..."), as French papers print one.
_DASH_QUESTION = re.compile(r"[^\S\r\n]*[—–][^\S\r\n]*\S")
MIN_DASH_QUESTIONS = 2  # questions each answered by a plain paragraph
# ... which the headline or introduction says is an interview ("Entretien.", "Интервью")
_INTERVIEW_CUE = re.compile(
    r"(?i)(?<![\w-])(?:entretien|entrevue|interview|intervist|rozmow|wywiad|gespräch|"
    r"интервью|беседова|беседе|беседа|разговор|поговори|rozmawia|propos\s+recueillis|"
    r"q\s*&\s*a|(?:spoke|talked)\s+(?:to|with)|sprach\s+mit|ha\s+parlato\s+con|"
    r"s['’]est\s+entretenu)"
)
MAX_QUESTION_CHARS = 600  # a question is a line or two; longer is a speech in dialogue


def _question_turns(
    text: str,
    paragraphs: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    reported: list[_Utterance],
    g: _Grammar,
) -> list[_Utterance]:
    """The answers of an interview whose questions are lines opening with a dash and ending
    with a question mark, each answer the plain paragraphs up to the next question: the
    words of the person the headline and introduction name most often. An answer that opens
    with a dash as well is dialogue ("— Ответ."), not this form, and ends the answer; with
    nobody named there (an explainer's questions and answers) the answers stay the author's.
    """

    def question(index: int) -> bool:
        lo, hi = paragraphs[index]
        line = text[lo:hi].rstrip().rstrip("\"'’”»")
        return (
            _DASH_QUESTION.match(text, lo, hi) is not None
            and line.endswith("?")
            and hi - lo <= MAX_QUESTION_CHARS
        )

    def plain(index: int) -> bool:
        lo, hi = paragraphs[index]
        return _DASH_QUESTION.match(text, lo, hi) is None and _spoken_line(text[lo:hi])

    asked = [k for k in range(1, len(paragraphs)) if question(k)]
    answered = [k for k in asked if k + 1 < len(paragraphs) and plain(k + 1)]
    if len(answered) < MIN_DASH_QUESTIONS:
        return []
    if not _INTERVIEW_CUE.search(text, 0, paragraphs[asked[0]][0]):
        return []  # an explainer's questions ("– Qui est concerné ?"), or a report's
    interviewee = _interviewee(text, 0, paragraphs[asked[0]][0], g)
    if interviewee is None:
        return []
    taken = sorted(span for u in reported for span in u.spans)
    turns = []
    for k in answered:
        stop = asked[bisect_right(asked, k)] if asked[-1] > k else len(paragraphs)
        last = k + 1
        while last + 1 < stop and plain(last + 1):
            last += 1
        ranges = paragraphs[k + 1 : last + 1]
        turn = _turn(text, paragraphs, ranges, k + 1, last, interviewee, taken, regions)
        if turn is not None:
            turns.append(turn)
    return turns


# An answer's opening: a dash (dash dialogue) or a quote mark
_ANSWER_OPENING = re.compile(r"[^\S\r\n]*(?:(?P<dash>[—–-])[^\S\r\n]+|[„“\"«»‚‘'])")
# A question addressing the interviewee by title and last name: "Signora Bassi, ...?", "Frau
# Albrecht, ...", "Pani dyrektor, ..." (the name is looked up among the full names before)
_ADDRESS = re.compile(
    r"(?:Signora|Signor|Sindaco|Ministro|Frau|Herr|Madame|Monsieur|Pani|Panie|Mr\.?|Mrs\.?|Ms\.?)"
    r"\s+(?P<last>[^\W\d_][\w’'-]+)\s*,"
)
INTERVIEW_INTRO_PARAGRAPHS = 2  # paragraphs before the first question that name the interviewee
_NOTHING = re.compile(r"(?P<dash>(?!))?")  # a plain answer's "opening": nothing, no dash
_HEADING = re.compile(r"\s*[^\r\n]{1,100}?(?<![.!?…:;\"”»“’])\s*")  # a short line, no end mark
# A heading announcing an interview's questions: "Trois questions à X", "Tre domande a X",
# "Drei Fragen an X", "Trzy pytania do X", "Три вопроса X", "Three questions for X"
_QUESTIONS_TO = re.compile(
    # ... to someone named there ("questions to ask", "questions à se poser", "вопросы
    # читателей" head an explainer's answers, the author's)
    r"(?:(?i:questions?\s+(?:à|a|for|to)|domande\s+a|fragen\s+an|pytani[ae]\s+do|"
    r"вопрос\w*)\s+(?:(?i:M\.|Mme|Me|Dr\.?|Mr\.?|Ms\.?|Mrs\.?)\s+)?"
    r"[^\W\d_a-zа-яё][\w’'-]+\s+[^\W\d_a-zа-яё][\w’'-]+)|"
    + _INTERVIEW_CUE.pattern.replace("(?i)", "(?i:", 1)
    + ")"
)


def _plain_question_turns(
    text: str,
    paragraphs: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    utterances: list[_Utterance],
    reported: list[_Utterance],
    g: _Grammar,
) -> list[_Utterance]:
    """The answers of an interview whose questions are plain lines ending with a question
    mark and whose answers open with a dash or a quote mark ("O przyszłość szpitala
    zapytaliśmy jego dyrektorkę Ewę Malinowską. / Czy decyzja jest ostateczna? / – Na dziś
    tak. ..."): the words of the person the paragraphs before the first question name last
    (or whom the questions address: "Signora Bassi, ...?"). Quotes already attributed keep
    their speakers."""

    def question(k: int) -> bool:
        lo, hi = paragraphs[k]
        line = text[lo:hi].strip()
        return (
            line.endswith("?")
            and len(line) <= MAX_QUESTION_CHARS
            and _ANSWER_OPENING.match(text, lo, hi) is None
        )

    def answer(k: int) -> re.Match[str] | None:
        opening = _ANSWER_OPENING.match(text, *paragraphs[k])
        if opening is not None and opening.group("dash") and not g.dialogue:
            return None  # a dash opens speech in Polish and Russian only
        if opening is None and plain_answers and not question(k):
            return _NOTHING.match(text, paragraphs[k][0])  # a plain paragraph
        return opening

    # under a heading that says so ("Trois questions à Nadia Benhamou"), answers may be plain
    # paragraphs (elsewhere plain questions and answers are an explainer's)
    plain_answers = False
    asked = [k for k in range(1, len(paragraphs) - 1) if question(k) and answer(k + 1)]
    if not asked:
        first_question = next((k for k in range(2, len(paragraphs) - 1) if question(k)), None)
        if first_question is not None and _QUESTIONS_TO.search(
            text, *paragraphs[first_question - 1]
        ):
            plain_answers = True
            asked = [k for k in range(1, len(paragraphs) - 1) if question(k) and answer(k + 1)]
    if len(asked) < MIN_DASH_QUESTIONS:
        return []
    first = asked[0]
    intro = paragraphs[max(1, first - INTERVIEW_INTRO_PARAGRAPHS)][0]
    interviewee = _addressed(text, paragraphs, asked, g) or _last_full_name(
        text, intro, paragraphs[first][0], g
    )
    if interviewee is None:
        return []
    taken = sorted(span for u in reported for span in u.spans)
    starts = [u.spans[0][0] for u in utterances]
    turns = []
    for k, stop in zip(asked, [*asked[1:], len(paragraphs)], strict=True):
        for index in range(k + 1, stop):
            opening = answer(index)
            if opening is None:
                break  # the answer ends where the article goes on
            lo, hi = paragraphs[index]
            if plain_answers and _HEADING.fullmatch(text, lo, hi):
                continue  # a subheading between the answers ("Weltweit gleiche Reaktion")
            own = [u for u, at in zip(utterances, starts, strict=True) if lo <= at < hi]
            if own:
                for u in own:
                    if u.mention is None:  # attributed quotes keep their speakers
                        u.mention, u.turn = interviewee, True
                continue
            if opening.group("dash") or plain_answers:
                turn = _turn(
                    text, paragraphs, [(opening.end(), hi)], index, index, interviewee, taken,
                    regions,
                )  # fmt: skip
                if turn is not None:
                    turns.append(turn)
    return turns


def _addressed(
    text: str, paragraphs: list[tuple[int, int]], asked: list[int], g: _Grammar
) -> _Mention | None:
    """The full name, written last before the question, of the person the questions address
    by title and last name ("Signora Bassi, il consiglio ha votato?")."""
    for k in asked:
        address = _ADDRESS.search(text, *paragraphs[k])
        if address is None:
            continue
        last, found = address.group("last"), None
        for match in _FIRST_AND_LAST.finditer(text, 0, paragraphs[k][0]):
            first, blanks, word = match.groups()
            # (the address says it is a name: the first name need not be a known one)
            if word == last and first[:1].isupper() and first not in g.stop_caps:
                end = match.end(1) + len(blanks) + len(word)
                found = _Mention("name", match.start(), end, f"{first} {word}")
        return found
    return None


_PARTICLE_NAME = re.compile(r"[^\S\r\n]+([^\W\d_a-zа-яё][\w’'-]+)")  # the name after "Le", "Di"


def _last_full_name(text: str, lo: int, hi: int, g: _Grammar) -> _Mention | None:
    """The last full name in ``text[lo:hi]`` opening with a known first name (or its Polish
    accusative: "dyrektorkę Ewę Malinowską"), not the interviewer's."""
    found = None
    for match in _FIRST_AND_LAST.finditer(text, lo, hi):
        first, blanks, last = match.groups()
        if not (first[:1].isupper() and last[:1].isupper()):
            continue
        known = first_name_gender(first, g.lang) is not None or (
            g.lang == "pl" and first.endswith("ę") and first_name_gender(first[:-1] + "a", "pl")
        )
        if not known or _INTERVIEWER.search(text, max(lo, match.start() - 60), match.start()):
            continue
        end = match.end(1) + len(blanks) + len(last)
        start, words = match.start(), f"{first} {last}"
        particle_name = _PARTICLE_NAME.match(text, end, hi)
        if last.lower() in g.particles and particle_name is not None:
            end, words = (
                particle_name.end(),
                f"{words} {particle_name.group(1)}",
            )  # "Bruno Le Maire"
        before = _WORDS_BEFORE.search(text, max(lo, start - 40), start)
        if before is not None and first_name_gender(before.group(2), g.lang) is not None:
            start, words = before.start(2), f"{before.group(2)} {words}"  # "Carlo Maria Viganò"
        found = _Mention("name", start, end, words)
    return found


def _turn(
    text: str,
    paragraphs: list[tuple[int, int]],
    ranges: list[tuple[int, int]],
    first: int,
    last: int,
    mention: _Mention | None,
    taken: list[tuple[int, int]],
    regions: list[tuple[int, int]],
) -> _Utterance | None:
    """A turn over ``ranges`` (paragraphs ``first`` to ``last``) in ``mention``'s voice, less
    the reported clauses ``taken`` and the direct quotes in it, which keep their own
    speakers; None where nothing is left."""
    spans = [
        piece for lo, hi in ranges for piece in _clause(text, _outside(lo, hi, taken), regions)
    ]
    if not spans:
        return None
    turn = _Utterance(
        "quoted", spans, first, last, mention, (paragraphs[first][0], paragraphs[last][1])
    )
    turn.resolved = mention is None  # an unnamed interviewee inherits no speaker
    turn.turn = True
    return turn


_QUOTED_NAME = re.compile(r"[„“\"«]([^„“”\"«»\r\n]{1,60})[”\"»“]")


def _quoted_words(text: str) -> frozenset[str]:
    """The first five letters of each capitalised word written in short quotes, as a
    publication's name is ("„Kurierem Zagłębia”": "Kurie", "Zagłę"), read once."""
    return frozenset(
        word[:5]
        for match in _QUOTED_NAME.finditer(text)
        for word in _WORD.findall(match.group(1))
        if word[:1].isupper()
    )


@dataclass(frozen=True)
class _TurnLabel:
    start: int
    end: int
    words: str  # the label without its question or answer mark ("BACON" of "BACON Q:")
    kind: str  # the label in lower case, or its question or answer mark ("q")
    body: int  # where the turn's words start


def _turn_label(text: str, line: tuple[int, int], marks: frozenset[str]) -> _TurnLabel | None:
    """The speaker's label a line opens with, if any."""
    match = _TURN_LABEL.match(text, *line)
    if match is None:
        return None
    start, end = match.span("label")
    words = match.group("label").split()
    kind = words[-1].lower()
    if len(words) > 1 and kind in marks:  # "BACON Q:", "GILANI A:"
        end = start + match.group("label").rindex(words[-1]) - 1
    elif kind != match.group("label").lower():
        kind = match.group("label").lower()
    return _TurnLabel(start, end, text[start:end], kind, match.end())


def _spoken_line(line: str) -> bool:
    """A line that goes on with a turn: a sentence of three words or more, ended as one (no
    "take our poll - story continues below", "Email *")."""
    return len(line.split(None, 3)) >= 3 and line.rstrip().rstrip("'\"’”»")[-1:] in ".!?…"


def _quoted_body(text: str, start: int, regions: list[tuple[int, int]]) -> bool:
    """Whether a turn's words after its label open with a direct quote ("Ratzinger: “...”")."""
    return _inside(regions, start) or _inside(regions, start + 1)


def _outside(lo: int, hi: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``lo:hi`` outside the sorted, non-overlapping ``taken`` spans."""
    parts, cursor = [], lo
    for a, b in taken[bisect_right(taken, lo, key=lambda span: span[1]) :]:
        if a >= hi:
            break
        if a > cursor:
            parts.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < hi:
        parts.append((cursor, hi))
    return parts


def _label_person(
    text: str, label: _TurnLabel, names_elsewhere: frozenset[str], g: _Grammar
) -> _Mention | None:
    """The person a turn's label names: a first name and more, or a name the article
    writes elsewhere after a capitalised word (``names_elsewhere``), in capitals ("HANNITY:"
    for "Sean Hannity") or as initials ("JP:" for "John Pilger")."""
    words = label.words.split()
    if not all(word[:1].isupper() for word in words):
        return None
    start, end = label.start, label.end
    if len(words) == 1 and 2 <= len(words[0]) <= 3 and words[0].isalpha() and words[0].isupper():
        return _initials_person(text, words[0], g)  # "JP:" for John Pilger
    if all(word.isupper() for word in words):  # "HANNITY:", written "Hannity" elsewhere
        last = words[-1][:1] + words[-1][1:].lower()
        if last not in names_elsewhere:  # "UPDATE:" where a sentence opens "Update from"
            return None
        # the whole label as written elsewhere, else its last name ("SARAH CARTER:" where
        # the article writes "Sara Carter")
        earlier = _written_elsewhere(text, label.words, 0) or _written_elsewhere(text, words[-1], 0)
        mention = None
        if earlier is not None:
            begin = earlier.start()
            first = _WORD_BEFORE.search(text, max(0, begin - 40), begin)
            if first is not None and first_name_gender(first.group(1), g.lang) is not None:
                begin = first.start(1)  # "SOLOMON:" for "John Solomon"
            mention = _mention(text, begin, earlier.end(), g)
    else:  # "John Pilger:"; "Hadeed:" where the article writes "Ralph Hadeed"
        if first_name_gender(words[0], g.lang) is None and words[-1] not in names_elsewhere:
            return None
        mention = _mention_of_span(text, start, end, g)
        if mention is not None and _common_word(text, mention):
            return None
    if mention is None or mention.kind != "name" or _organisation(mention):
        return None
    return mention


def _initials_person(text: str, initials: str, g: _Grammar) -> _Mention | None:
    """The one full name in ``text`` whose words start with ``initials`` ("DB": Dennis
    Bernstein), a first name first."""
    pattern = re.compile(
        r"(?<![\w-])" + r"[ \t]+".join(rf"{letter}[^\W\d_]+" for letter in initials) + r"(?![\w-])"
    )
    found = {}
    for match in pattern.finditer(text):
        if first_name_gender(match.group().split()[0], g.lang) is not None:
            found.setdefault(match.group(), match)
    if len(found) != 1:
        return None
    (match,) = found.values()
    return _Mention("name", match.start(), match.end(), match.group())


def _interviewee(text: str, lo: int, hi: int, g: _Grammar) -> _Mention | None:
    """The person ``text[lo:hi]`` (an interview's headline and introduction) names most
    often: a first name and a last name, counted by the last name; the earliest on a tie.
    A first name the lists know comes first; failing one, any capitalised pair whose last
    name is written twice ("Governor Rick Dalton", "фермер Тимофей Круглов"; not "Governor
    Dalton Explains"). Never the interviewer ("spoke to our reporter Emma Cole")."""
    counts = Counter(_WORD_RUN.findall(text, lo, hi))  # one pass, not one per person
    known: dict[str, _Mention] = {}
    other: dict[str, _Mention] = {}
    for match in _FIRST_AND_LAST.finditer(text, lo, hi):
        first, blanks, last = match.groups()
        if last in known or not (first[:1].isupper() and last[:1].isupper()):
            continue
        if _INTERVIEWER.search(text, max(lo, match.start() - 60), match.start()):
            continue
        end = match.end(1) + len(blanks) + len(last)
        mention = _Mention("name", match.start(), end, f"{first} {last}")
        if first_name_gender(first, g.lang) is not None:
            known[last] = mention
        elif (
            counts[last] >= 2
            and last not in other
            and not _title_word(first, g, genitive=False)
            and first not in _STOP_CAPS
            and first not in g.stop_caps
        ):
            other[last] = mention
    people = known or other
    if not people:
        return None
    return people[max(people, key=lambda last: (counts[last], -people[last].start))]


# Who asks an interview's questions, as its introduction names them: "spoke to our reporter
# Emma Cole", "interviewed by", "propos recueillis par", "Das Interview führte", "intervista
# di", "rozmawiał(a)", "беседовал(а)"
_INTERVIEWER_ROLE = (
    r"(?:reporter\w*|correspondent|correspondant\w*|journalist\w*|editor|interviewer|host|"
    r"giornalista|corrispondente|dziennikar\w*|korespondent\w*|korrespondent\w*|"
    r"корреспондент\w*|журналист\w*|обозревател\w*|редактор\w*|ведущ\w*)"
)
_INTERVIEWER = re.compile(
    r"(?i:"
    # the publication's own: "our reporter", "notre correspondante", "наш корреспондент"
    rf"(?:our|my|notre|nos|nostro|nostra|nasz\w*|наш\w*|unser\w*)\s+(?:\w+\s+){{0,2}}?"
    rf"{_INTERVIEWER_ROLE}[\s,:]*"
    # "корреспондент нашего издания Павел Сёмин"
    rf"|{_INTERVIEWER_ROLE}\s+наш\w*\s+\w+\s*"
    r"|(?:interviewed\s+by|recueillis\s+par|interview\s+führte|intervista\s+di|"
    r"intervistato\s+da|rozmawia\w*|беседовал\w*|(?:интервью|вопросы)\s+задавал\w*)"
    r"[\s,:]+(?:\w+\s+)?)$"
)
# A word and, looked ahead at, the word after it: every word starts a try ("I met Senator
# Patricia Holloway" pairs "Patricia Holloway", not only "Senator Patricia")
_FIRST_AND_LAST = re.compile(r"(?<![\w-])([^\W\d_][\w-]*)(?=( )([^\W\d_][\w’'-]*)(?![\w-]))")


def _said_before(
    text: str,
    paragraph_sentences: list[tuple[int, int]],
    reported: set[int],
    index: int,
    regions: list[tuple[int, int]],
    g: _Grammar,
) -> list[_Utterance]:
    """A sentence in the author's voice whose next sentence says who said it ("Запад загнал
    себя в тупик. Об этом заявил Сергей Лавров.", "Lo ha detto il ministro X") is reported
    speech of that speaker, as a quote there is (`_said_this`)."""
    found = []
    for k in range(1, len(paragraph_sentences)):
        s, e = paragraph_sentences[k - 1]
        if k - 1 in reported or k in reported or _region_at(regions, s) is not None:
            continue  # a sentence opening with a quote is that quote's (`_said_this`)
        mention = _said_this_speaker(text, *paragraph_sentences[k], g)
        if mention is None:
            continue
        spans = _clause(text, [(s, _clause_end(text, s, e, g))], regions)
        if spans:
            found.append(_Utterance("reported", spans, index, index, mention, (s, e)))
    return found


HEAD_APPOSITION = 120  # characters of a role between commas after an opening "according to X"


def _clause_end(text: str, s: int, e: int, g: _Grammar) -> int:
    """The end of the sentence ``text[s:e]`` without its final punctuation and closing
    marks (English “ opens a quote; elsewhere it may close one: „…“)."""
    closers = '.!?…"”’») \t\u00a0' if g is _ENGLISH else '.!?…"”’»“«) \t\u00a0'
    while e > s and text[e - 1] in closers:
        e -= 1
    return e


def _reported_sentence(
    text: str, s: int, e: int, regions: list[tuple[int, int]], g: _Grammar
) -> tuple[list[tuple[int, int]], _Mention | None] | None:
    """The reported clause(s) of one sentence and who reports them, if any."""
    words = _words(text, s, e, g)
    if (
        g.cue_words.isdisjoint(words)
        and g.head_cues.isdisjoint(words)
        and g.naming_words.isdisjoint(words)
    ):
        return None
    has_comma = text.find(",", s, e) >= 0
    if g is not _ENGLISH:
        has_comma = has_comma or any(d in text[s:e] for d in "-–—")
    end = _clause_end(text, s, e, g)

    match = g.head.match(text, s, e) if g.head_words is None or g.head_words & words else None
    if match and match.groupdict().get("z") and _unnamed_source(text, match.group("z"), g.lang):
        match = None  # "Berichten zufolge", "Experten zufolge": no one named
    if match and match.groupdict().get("u") is not None:
        # "Jak twierdzi, ...": the person who opened the sentence before, else nobody known
        previous = _previous_sentence(text, s, g)
        person = _opening_person_of_gender(text, previous, None, g) if previous else None
        spans = _clause(text, [(match.end(), end)], regions) if person else []
        if spans:
            return spans, person
        match = None
    if match and not _inside(regions, match.start(match.lastgroup or 0)):
        start = match.end()
        # the speaker's role after the name is no part of what they said ("D'après Sylvie
        # Carrel, secrétaire générale de la fédération, cette loi ..."; not where a role's
        # stem may be another word: Russian "политика" is a policy)
        if g.lang in ("fr", "it", "de") and text[start - 2 : start].strip() == ",":
            role = g.role_word.match(text, start, end)
            comma = text.find(",", start, min(end, start + HEAD_APPOSITION))
            if role is not None and comma >= 0 and not _inside(regions, comma):
                start = comma + 1
        spans = _clause(text, [(start, end)], regions)
        mention = _match_mention(text, match, g)
        if spans and mention:
            return spans, mention

    # The tail ends the sentence and is short: searched for in the sentence's last
    # characters only, or every start in a long sentence reads to its end (quadratic)
    match = g.tail.search(text, max(s, e - _TAIL_REACH), e) if has_comma else None
    if match and _adverbial_opening(text, s, match, g):
        match = None
    if match and not _inside(regions, match.start()):
        spans = _clause(text, [(s, match.start())], regions)
        mention = _match_mention(text, match, g)
        if spans and mention:
            return spans, mention

    for match in (
        g.that.finditer(text, s, e) if g.that_words is None or g.that_words & words else ()
    ):
        if _inside(regions, match.start()):
            continue
        verb_start = match.start("verb")
        mention = None
        participle = g.participle_full.fullmatch(match.group("verb"))
        if participle:
            subjects = list(g.subject_verb.finditer(text, s, verb_start))
            subjects = [m for m in subjects if not _inside(regions, m.start())]
            if subjects:
                mention = _match_mention(text, subjects[-1], g)
            if mention is None and g is _ENGLISH:
                mention = _participle_subject(text, s, verb_start, g)
            if (
                mention is None
                and g.verb_subject is not None
                and (before := g.verb_subject.search(text, s, verb_start)) is not None
                and not _inside(regions, before.start())
            ):
                mention = _match_mention(text, before, g)
            elif not subjects and g.named is not None and g.lang != "de":
                # "Bolsonaro odniósł się również do ..., mówiąc, że": the person who opens
                # the sentence, then a verb in lower case
                mention = _opening_person(text, s, verb_start, g)
        else:
            mention = _subject(text, s, verb_start, g, match.end("verb"))
            if mention is None:
                mention = _dropped_subject(text, s, verb_start, match.end("verb"), g, match.end())
            if mention is None:
                continue
        ranges = [(match.end(), end)]
        for extra in g.that.finditer(text, match.end(), end):
            if g.participle_full.fullmatch(extra.group("verb")):  # "..., adding that ..."
                ranges[-1:] = [(ranges[-1][0], extra.start()), (extra.end(), end)]
        spans = _clause(text, ranges, regions)
        if spans:
            return spans, mention

    bare = g.bare.finditer(text, s, e) if not words.isdisjoint(g.bare_words) else ()
    colon = g.colon.finditer(text, s, e) if text.find(":", s, e) >= 0 else ()
    for match in chain(colon, bare):
        if _inside(regions, match.start()):
            continue
        start = match.end()
        if (
            g is not _ENGLISH
            and text[match.end("verb") : match.end()].strip(" ,")  # a name after the verb
            and _apposed_role(text, start, end, g)
        ):
            # the name's role is no part of what was said: the clause follows it ("sagte
            # Frank Werneke, Chef der Gewerkschaft Verdi, die Regierung müsse ..."), if any
            # ("„…“, sagte Gerlinde Hausmann, Sprecherin der Initiative, am Abend.")
            closing = _APPOSITION_END.match(text, start, end)
            finite = closing is not None and any(
                word.strip(",.;:!?") in _FINITE for word in text[closing.end() : end].split()
            )
            if not finite:  # no verb after it: whom or when ("…, der New York Times.")
                continue
            start = closing.end()
        verb_start = match.start("verb")
        mention = _subject(text, s, verb_start, g, match.end("verb"))
        if mention is None:
            continue
        spans = _clause(text, [(start, end)], regions)
        # three words at least; outside English quoted ones too ("man habe „alle Vorgaben
        # erfüllt“"; English "said: it “...”" is no clause)
        lo, hi = (spans[0][0], spans[-1][1]) if g is _ENGLISH else (start, end)
        if spans and len(_WORD.findall(text, lo, hi)) >= 3:
            return spans, mention

    match = g.paren.search(text, s, e) if has_comma else None
    if match and not _inside(regions, match.start()):
        # the speaker's role after the inserted attribution is no part of the clause ("En
        # Lombardie, le rendement ..., précise Ermes Sagula, responsable du centre ...";
        # after a quote nothing is left: "„…“, sagte Gerlinde Hausmann, Sprecherin der ...")
        apposed = g is not _ENGLISH and _apposed_role(text, match.end(), end, g)
        ranges = [(s, match.start())] + ([] if apposed else [(match.end(), end)])
        spans = _clause(text, ranges, regions)
        mention = _match_mention(text, match, g)
        if spans and (len(spans) >= 2 or apposed) and mention:
            return spans, mention
    return _naming_clause(text, s, end, words, regions, g)


_CLAUSE_STOP = re.compile(r"[,;:(]|\s[-–—]\s")
_AND = frozenset("и а i oraz et e ed und".split())


# An apposition's (or relative clause's) words to its closing comma (no quote mark or
# sentence end between)
_APPOSITION_END = re.compile(r"[^,.!?;:\"“”„«»]{1,150},\s*")


def _apposed_role(text: str, start: int, end: int, g: _Grammar) -> bool:
    """Whether the words after "sagte X," are X's role ("Sprecherin der Initiative", "die
    Sprecherin ..."), an apposition rather than a clause ("Experten seien sich einig" has
    its verb)."""
    closing = _APPOSITION_END.match(text, start, end)
    inside = text[start : closing.end() if closing else end]
    if any(word.strip(",.;:") in _FINITE for word in inside.split()):
        return False
    words = text[start:end].split(maxsplit=2)
    if not words:
        return False
    head = words[1] if words[0].lower() in _ARTICLES and len(words) > 1 else words[0]
    head = head.strip(",;:")
    if g.role_word.fullmatch(head) is None:
        return False
    # a person's role, not a body opening a clause ("..., sagte Scholz, die Landesregierung
    # werde ...")
    stem = _role_of(_Mention("description", 0, 0, head), g)
    return not _organisation_name(head) and not (stem and _organisation_name(stem.capitalize()))


def _unnamed_source(text: str, words: str, lang: str) -> bool:
    """Whether the words before "zufolge" name no one: a plural or a thing ("Berichten",
    "Ermittlern", "Diplomatischen Kreisen", "Umfrage"), not a last name the article writes
    after a known first name ("Falkenhahn" after "Annegret Falkenhahn")."""
    last = words.split()[-1]
    if last in _first_named(text, lang):
        return False
    # a first name the lists lack ("Annegret Falkenhahn"): one word written after a
    # capitalised one, not a plural in the dative
    return " " in words or last.endswith(("en", "ern", "eln")) or last not in _last_names(text)


@lru_cache(maxsize=2)  # asked per "X zufolge" sentence and by `_known_genders` (cleared by
# _find_quotes)
def _first_named(text: str, lang: str) -> dict[str, frozenset[str]]:
    """Each capitalised word of ``text`` written after a known first name ("Petersen" in
    "Jonas Petersen"), with the genders of those first names."""
    found: dict[str, set[str]] = {}
    for match in _FULL_NAME.finditer(text):
        first, last = match.group(1), match.group(2)
        if first[0].isupper() and last[0].isupper():
            gender = first_name_gender(first, lang)
            if gender is not None:
                found.setdefault(last, set()).add(gender)
    return {last: frozenset(genders) for last, genders in found.items()}


def _naming_clause(
    text: str,
    s: int,
    end: int,
    words: frozenset[str],
    regions: list[tuple[int, int]],
    g: _Grammar,
) -> tuple[list[tuple[int, int]], _Mention | None] | None:
    """ "Песков назвал американцев «солдатами удачи»", "она назвала Москву одной из главных
    угроз": what a naming verb's subject calls someone, up to the next comma, is its words."""
    if g.naming is None or g.naming_words.isdisjoint(words):
        return None
    for match in g.naming.finditer(text, s, end):
        if _inside(regions, match.start()):
            continue
        if _passive_label(text, s, match, g):  # "il contingente definito", "qualifiée"
            continue
        mention = _subject(text, s, match.start(), g, match.end())
        if mention is None:
            continue
        stop = _CLAUSE_STOP.search(text, match.end(), end)
        hi = stop.start() if stop else end
        for word in _WORD.finditer(text, match.end(), hi):  # "... и подчеркнул, что"
            if word.group().lower() in g.cue_words:
                before = text[match.end() : word.start()].split()
                if before and before[-1].lower() in _AND:
                    hi = word.start() - len(before[-1]) - 1
                break
        spans = _clause(text, [(match.end(), hi)], regions)
        if spans and len(_WORD.findall(text, spans[0][0], spans[-1][1])) >= 2:
            return spans, mention
    return None


# Words that may open a Polish or Russian sentence before a verb without subject: "A
# powiedziała, że", "Также отметил, что".
_DROP_OPENERS = {
    # (Italian: the past's singular auxiliary, "Ha assicurato che", "Poi ha aggiunto che")
    "it": frozenset("ha aveva poi inoltre anche quindi infine e ma".split()),
    "pl": frozenset(
        "a i ale także również ponadto wcześniej później następnie potem wreszcie".split()
    ),
    "ru": frozenset("и а но также ранее позже затем позднее потом далее".split()),
}
PREVIOUS_SENTENCE_REACH = 400  # characters before a sentence searched for the one before it


DROPPED_LEAD = 60  # characters of openers ("Poi", "Затем с улыбкой") before a subjectless verb


def _dropped_subject(
    text: str, s: int, verb_start: int, verb_end: int, g: _Grammar, that_end: int = -1
) -> _Mention | None:
    """Polish and Russian: a past-tense speech verb that opens its sentence without a subject
    ("Powiedziała, że ...", "Przyznał, że ...") continues the sentence before: its speaker is
    the person named at that sentence's start when the verb's gender fits the first name
    ("Olga Bakuszinskaja, rosyjska dziennikarka, ... otworzyła grupę. Powiedziała, że"), else
    a pronoun at the verb, resolved like "he" to the last speaker."""
    openers = _DROP_OPENERS.get(g.lang)
    if openers is None:
        return None
    fronted = _FRONTED_PARTICIPLE.get(g.lang)
    lead = fronted.match(text, s, verb_start) if fronted else None
    start = lead.end() if lead else s
    if verb_start - start > DROPPED_LEAD:
        # at most two openers before the verb: a long sentence is not read (and split) once
        # for every verb in it, which made hostile paragraphs quadratic
        return None
    before = text[start:verb_start].split()
    if len(before) > 2 or any(word.lower() not in openers for word in before):
        return None
    verb = _Mention("pronoun", verb_start, verb_end, text[verb_start:verb_end])
    gender = _pronoun_gender(verb, g)
    if g.lang == "it":
        # "ha assicurato che" tells no gender: its auxiliary says it is someone's past
        # speech, and "che" right after it that it is what they said (not "Aggiungono una
        # riga, che ...", "Ammesso che", "ha replicato al comunicato del G7 che ha chiesto")
        if not {"ha", "aveva"} & {w.lower() for w in before}:
            return None
        if that_end >= 0 and len(_WORD.findall(text, verb_end, that_end)) > 2:
            return None
    elif gender is None:
        return None  # present tense: "Dodaje, że" may be a newspaper's
    previous = _previous_sentence(text, s, g)
    if previous is None:
        return None
    person = _opening_person_of_gender(text, previous, gender, g)
    if person is not None:
        return person
    # otherwise it goes on from speech in the sentence before ("– podkreślił Niedzielski.
    # Ocenił, że"), not from any sentence ("Poseł przedstawił projekt. Zaznaczył, że")
    if g.cue_words.isdisjoint(_words(text, previous[0], previous[1], g)):
        return None
    return verb


def _previous_sentence(text: str, s: int, g: _Grammar) -> tuple[int, int] | None:
    """The sentence before the one starting at ``s``, if it lies whole within reach."""
    lo = max(0, s - PREVIOUS_SENTENCE_REACH)
    previous = None
    for line in _LINE.finditer(text, lo, s):
        sentences = _sentences(text, line.start(), line.end(), g)
        if sentences:
            previous = sentences[-1]
    if previous is None or (previous[0] <= lo and lo > 0):
        return None
    return previous


def _opening_person_of_gender(
    text: str, sentence: tuple[int, int], gender: str | None, g: _Grammar
) -> _Mention | None:
    """The person whose full name opens ``sentence`` (also before a comma: "Olga
    Bakuszinskaja, rosyjska dziennikarka, ...", or after a role: "Wiceminister rolnictwa
    Andrzej Kamiński próbował"), when the first name fits the verb's ``gender``."""
    person = _opening_name(text, *sentence, g, appositive=True)
    if (
        person is not None
        and len(person.text.split()) >= 2
        and not _organisation(person)
        and (gender is None or _first_name_gender(person.text.split()[0], g.lang) == gender)
    ):
        return person
    return None


def _first_name_gender(word: str, language: str) -> str | None:
    """Polish and Russian first names (as a sentence's subject: in the nominative): the
    known ones by `first_names` ("Nikita" is a man), else women's end in -a ("Olga",
    "Анна"), men's in a consonant ("Piotr", "Сергей"); others ("Jerzy", "Porozumienie")
    tell nothing."""
    known = first_name_gender(word, language)
    if known is not None:
        return known
    last = word[-1:].lower()
    if last in ("a", "а", "я"):
        return "f"
    if last.isalpha() and last not in "eiouyąęóеиоуыэюьё":
        return "m"
    return None


def _opening_name(
    text: str, lo: int, hi: int, g: _Grammar, appositive: bool = False
) -> _Mention | None:
    """The name that opens the sentence ``text[lo:hi]`` as its subject: a lower-case word
    (its verb) follows it, or with ``appositive`` also a comma ("Olga Bakuszinskaja,
    rosyjska dziennikarka, ..."); not a capitalised common word ("Otóż")."""
    named = g.named.match(text, lo, hi)
    after = text[named.end() : hi] if named is not None else ""
    if not (
        (after[:1].isspace() and after.lstrip()[:1].islower()) or (appositive and after[:1] == ",")
    ):
        return None
    mention = _mention(text, named.start(), named.end(), g)
    if mention is None or mention.kind != "name" or _common_word(text, mention):
        return None
    return mention


# "The full video shows Andrew Smith saying that ...": the name right before the
# participle, no comma between, is its subject
_NOT_BEFORE_PARTICIPLE_SUBJECT = frozenset(
    """
    to of by with from at in for on about against the a an and near across outside over into
    onto under through behind beyond around inside within toward towards along past via
    """.split()
)
_NAME_BEFORE_PARTICIPLE = re.compile(r"(?P<n>(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]+)\s+$")


def _participle_subject(text: str, s: int, hi: int, g: _Grammar) -> _Mention | None:
    """English: the person named just before a participle ("shows Andrew Smith saying that"),
    when the article gives that person a full name, and no preposition stands before the
    name ("banners across Main Street saying that": a place)."""
    match = _NAME_BEFORE_PARTICIPLE.search(text, s, hi)
    if match is None or match.start() == s:
        return None  # a sentence opening with the name has it as the verb's subject
    before = text[s : match.start()].split()
    if before and before[-1].lower() in _NOT_BEFORE_PARTICIPLE_SUBJECT:
        return None  # "concurred with Hemingway arguing that": the sentence's subject argues
    mention = _mention_of_span(text, match.start("n"), match.end("n"), g)
    if mention is None or mention.kind != "name" or _organisation(mention):
        return None
    if len(mention.text.split()) >= 2 or _full_name_elsewhere(text, mention.text, g):
        return mention
    return None


def _opening_person(text: str, s: int, hi: int, g: _Grammar) -> _Mention | None:
    """The person named at the start of the sentence ``text[s:hi]`` before its verb: a full
    name, or a last name the article writes after a first name; no organisation."""
    mention = _opening_name(text, s, hi, g)
    if mention is None or _organisation(mention):
        return None
    if _introduced(mention) or _full_name_elsewhere(text, mention.text, g):
        return mention
    return None


def _adverbial_opening(text: str, s: int, tail: re.Match[str], g: _Grammar) -> bool:
    """True when "CLAUSE, X said ..." is really "On Monday, X said (that) CLAUSE": the
    speaker comes before the verb, and what follows the verb holds a complementizer, or the
    words before the comma are a short opening (at most 3 words) and at least 4 follow the
    verb; or the speaker follows the verb and a complementizer follows the speaker ("...,
    antwortete Lawrow, dass CLAUSE"). ("Dann, so Henry Kissinger, ..." and "..., said
    Ragan, who debunked a rumor that ..." keep their tail.)"""
    if tail.group("a") is None:  # verb first: only "..., antwortete Lawrow, dass CLAUSE"
        name = next((k for k in ("b", "j") if k in tail.re.groupindex and tail.group(k)), None)
        if name is None:
            return False
        follows = _WORD.search(text, tail.end(name), tail.end())
        between = text[tail.end(name) : follows.start()] if follows else ""
        return (
            bool(follows)
            and between.strip(" ,") == ""
            and (follows.group().lower() in g.complementizers)
        )
    after = _WORD.findall(text, tail.start(), tail.end())
    if g.complementizers & {w.lower() for w in after}:
        return True
    before = _WORD.findall(text, s, tail.start())
    verb = next(
        (
            m
            for m in _WORD.finditer(text, tail.start(), tail.end())
            if m.group().lower() in g.cue_words
        ),
        None,
    )
    following = _WORD.findall(text, verb.end(), tail.end()) if verb else []
    return len(before) <= 3 and len(following) >= 4


def _interview_before(text: str, lo: int, pos: int, g: _Grammar) -> int | None:
    """Where an interview phrase ending at ``pos`` begins ("в беседе с корреспондентом
    ТАСС", "w rozmowie z PAP"), or None."""
    if g.interview is None:
        return None
    match = g.interview.search(text, lo, pos)
    return match.start() + 1 if match else None  # after the space, as before a verb


# A German article or possessive before a speech verb's form makes it an adjective.
_GERMAN_ARTICLE = re.compile(
    r"(?i)der|die|das|den|dem|des|ein|eine[mnrs]?|zum|zur|im|am|vom|beim|"
    r"(?:sein|ihr|unser|dies|jen)(?:e[mnrs]?)?"
)


_COMPLEMENT_WORDS = frozenset({"of", "for", "at", "from", "in", "to", "with"})  # as in _DESC


def _subject(
    text: str, lo: int, verb_start: int, g: _Grammar, verb_end: int = -1
) -> _Mention | None:
    """The speaker right before a speech verb ("The official stressed"), if there is one.

    In German the subject follows the verb when something else opens the sentence ("Am
    Montag sagte Scholz, ...", "Dann schrieb er, dass ..."): that one is taken first.
    """
    if g.lang == "de" and _GERMAN_ARTICLE.fullmatch(
        (text[max(lo, verb_start - 20) : verb_start].split() or [""])[-1]
    ):
        return None  # "zu dem erklärten Ziel ..., dass": a participle as adjective
    if g.lang == "de" and verb_end >= 0:
        perfect = _perfect_subject(text, lo, verb_start, g)
        if perfect is not None:
            return perfect
    if g.inverted_subject is not None and verb_end >= 0 and verb_start > lo:
        front = g.subject.search(text, lo, verb_start)
        if front is not None and not text[lo : front.start()].strip():
            # the speaker fills the field before the verb ("John Schmidt nannte die Regierung
            # „...“"): what follows the verb is its object
            # (a full name, a role or a pronoun: "Die Ziele nannte Axel Gedaschko" has a noun)
            mention = _match_mention(text, front, g)
            if mention is not None and (mention.kind != "name" or " " in mention.text):
                return mention
        mention = _match_mention(text, g.inverted_subject.match(text, verb_end), g)
        if mention is not None:
            return mention
    interview = _interview_before(text, max(lo, verb_start - 120), verb_start, g)
    if interview is not None:
        verb_start = interview  # who speaks stands before whom they spoke to
    words = text[max(lo, verb_start - 40) : verb_start].split()
    popped = []
    while words and words[-1].lower() in g.aux_words:
        popped.append(words.pop().lower())
    if not words:
        return None
    if words[-1].lower() in g.relative_words:
        return _relative_antecedent(text, lo, verb_start, words[-1], g)
    inserted = _INSERTED_AFTER_RELATIVE.get(g.lang)
    phrase = inserted.search(text, max(lo, verb_start - 100), verb_start) if inserted else None
    if phrase is not None and not any(w[:1].isupper() for w in phrase.group("p").split()):
        # a phrase of where between the relative and its verb: "Massimo Gerardi, che in
        # un'intervista a un'emittente locale ha definito lo sciopero «...»"
        return _relative_antecedent(text, lo, phrase.start("p"), phrase.group("r"), g)
    if g.lang in _PASSIVE_LABEL and verb_end > verb_start:
        participle, auxiliaries = _PASSIVE_LABEL[g.lang]
        if _REGULAR_PARTICIPLE[g.lang].search(text, verb_start, verb_end) and not (
            auxiliaries.intersection(popped)
        ):
            return None  # "le gouvernement accusé de « trahir »": passive, no speaker
    last = words[-1]
    if (
        g is _ENGLISH
        and not (
            last[0].isupper()
            or last.endswith(",")
            or last.lower() in _SUBJECT_ENDS
            # a role's complement: "Analysts familiar with the desert kingdom said"
            or _COMPLEMENT_WORDS.intersection(w.lower() for w in words[-4:-1])
        )
    ):
        return None  # cheap test: a subject ends in a name, pronoun, role or appositive
    match = g.subject.search(text, max(lo, verb_start - 250), verb_start)
    mention = _match_mention(text, match, g)
    if mention is None and g.subject_between is not None:
        match = g.subject_between.search(text, max(lo, verb_start - 250), verb_start)
        mention = _match_mention(text, match, g)
    if mention is not None and g is not _ENGLISH and mention.kind == "name":
        before = text[max(lo, match.start() - 30) : match.start()].split()
        if before and before[-1].lower() in g.function_words:
            return None  # "hat auf Bali erklärt": Bali is a place, not who speaks
    return mention


# German auxiliaries of the perfect, and what may stand between one and its participle
_PERFECT_AUX = re.compile(r"(?<![\w-])(?:hat|hatte|haben|hatten|hätte|hätten)(?![\w-])")


def _perfect_subject(text: str, lo: int, verb_start: int, g: _Grammar) -> _Mention | None:
    """German: the speaker who opens a sentence before its auxiliary, when words stand
    between that and the participle ("Frank Weidemann hatte in der vergangenen Woche
    erklärt": not "Woche")."""
    auxiliaries = list(_PERFECT_AUX.finditer(text, max(lo, verb_start - 80), verb_start))
    aux = auxiliaries[-1] if auxiliaries else None
    if aux is None or re.search(r"[,.;:!?]", text[aux.end() : verb_start]):
        return None
    if not text[aux.end() : verb_start].strip():
        return None  # "Weidemann hatte erklärt": the usual search finds it
    front = g.subject.search(text, lo, aux.start())
    if front is not None and not text[lo : front.start()].strip():
        # (after a party's or age's parenthesis: "Tobias Kern (FDP) hatte")
        if not _PARENTHESIS.sub("", text[front.end() : aux.start()]).strip():
            mention = _match_mention(text, front, g)
            if mention is not None and (
                mention.kind != "name"
                or _introduced(mention)
                or _full_name_elsewhere(text, mention.text, g)  # "Weidemann hatte ..."
            ):
                return mention
    if g.inverted_subject is None:
        return None
    # "Am Montag hatte Frank Weidemann erklärt": the subject follows the auxiliary
    mention = _match_mention(text, g.inverted_subject.match(text, aux.end(), verb_start), g)
    if mention is None or mention.kind != "name" or not _introduced(mention):
        return None  # one capitalised word may be anything ("hatte in der Woche")
    return mention


_PARENTHESIS = re.compile(r"\([^()]{1,40}\)")


def _relative_antecedent(
    text: str, lo: int, hi: int, relative: str, g: _Grammar
) -> _Mention | None:
    """The person a relative pronoun before a verb stands for, named between commas right
    before it: "la segretaria del Pd, Elly Schlein, che ha definito il decreto "...""."""
    # the relative as a word ("che", not the end of "anche")
    words = list(re.finditer(rf"(?<![\w’'-]){re.escape(relative)}(?![\w’'-])", text[lo:hi]))
    if not words:
        return None
    at = lo + words[-1].start()
    comma = text.rfind(",", lo, at)
    if comma < 0 or text[comma + 1 : at].strip():
        return None
    start = max(text.rfind(",", lo, comma) + 1, lo)
    if len(text[start:comma].split()) > RELATIVE_ANTECEDENT_WORDS:
        # a role and its full name before the comma ("Ancora più duro il consigliere del
        # Movimento civico Andrea Colombo, che ha parlato di «...»"): the name that ends it,
        # when it opens with a known first name (not "da Reggio Emilia, che")
        start = _name_ending(text, start, comma, g)
        if start < 0:
            return None
    start, end = _strip(text, start, comma)
    mention = _mention_of_span(text, start, end, g)
    if mention is None or mention.kind != "name" or not mention.text[:1].isupper():
        return None  # "А всяким скептикам, которые считают": no one named
    if _organisation(mention):
        return None
    return mention if _introduced(mention) or _full_name_elsewhere(text, mention.text, g) else None


RELATIVE_ANTECEDENT_WORDS = 4
# A relative after a comma, then a phrase of where or when up to the verb's auxiliaries
_INSERTED_AFTER_RELATIVE = {
    lang: re.compile(
        rf",\s*(?P<r>{relatives})\s+(?P<p>(?:{prepositions})\s[^,;:.!?«»\"“”„]{{1,80}}?)"
        + (rf"(?:\s+(?:{auxiliaries}))?" if auxiliaries else "")
        + r"\s*$",
        re.IGNORECASE,
    )
    for lang, relatives, prepositions, auxiliaries in (
        ("it", "che", "in|su|a|al|alla|nel|nella|durante|davanti", "ha|hanno|aveva|avevano"),
        ("fr", "qui", "dans|sur|à|au|lors|devant|en", "a|ont|avait|avaient"),
        ("pl", "który|która|którzy", "w|we|na|podczas", ""),
        ("ru", "который|которая|которые", "в|во|на", ""),
    )
}


def _name_ending(text: str, lo: int, hi: int, g: _Grammar) -> int:
    """Where a full name of two or three capitalised words that ends ``text[lo:hi]`` starts,
    after a lower-case word and opening with a known first name; else -1."""
    words = list(_WORD.finditer(text, lo, hi))
    if text[words[-1].end() : hi].strip() if words else True:
        return -1
    k = len(words)
    while k > 0 and len(words) - k < 3 and words[k - 1].group()[:1].isupper():
        k -= 1
    if len(words) - k < 2 or k == 0 or not words[k - 1].group()[:1].islower():
        return -1
    if first_name_gender(words[k].group(), g.lang) is None:
        return -1
    return words[k].start()


def _clause(
    text: str, ranges: list[tuple[int, int]], regions: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The parts of ``ranges`` outside direct quotes, trimmed; empty if nothing is said."""
    pieces = []
    for lo, hi in ranges:
        # regions are sorted and do not overlap: bisect to the first that ends after lo (a
        # scan of every region per clause grew with the square of a long article)
        k = bisect_right(regions, lo, key=lambda r: r[1])
        cuts = []
        while k < len(regions) and regions[k][0] < hi:
            cuts.append(regions[k])
            k += 1
        cursor = lo
        for a, b in cuts + [(hi, hi)]:
            start, end = _strip(text, cursor, min(a, hi), " ,;:-–—")
            if start < end and _WORD.search(text, start, end):
                pieces.append((start, end))
            cursor = max(cursor, b)
    return pieces


def _adopt_container_speaker(
    text: str, quotes: list[_Utterance], containers: list[_Utterance], g: _Grammar
) -> None:
    """A direct quote inside a reported clause ("X said that the army "...") is X's, unless
    it is a name ("уничтожили станцию беспилотниками «Байрактар», заявил Дюжаррик")."""
    for quote in quotes:
        start, end = quote.spans[0][0], quote.spans[-1][1]
        if quote.mention is not None or _quoted_name(text, start, end, g):
            continue
        for container in containers:
            lo, hi = container.scope
            if container.mention is not None and lo <= quote.anchor < hi:
                quote.mention = container.mention
                break


_NAME_WORDS = 3  # at most this many words in a quoted name ("Россия 24", "Hope Not Hate")


def _quoted_name(text: str, start: int, end: int, g: _Grammar) -> bool:
    """A capitalised quote of a few words, no sentence in it, right after a lower-case word:
    a name ("телеканала «Россия 24»", "the group "Hope Not Hate""), not words someone said.

    German capitalises every noun, so a quoted noun there may well be someone's word.
    """
    if g.lang == "de":
        return False
    words = text[start:end].split()
    if not words or len(words) > _NAME_WORDS or not (words[0][0].isupper() or words[0].isdigit()):
        return False  # (a number is a name too: "газеты «2000»")
    if any(mark in text[start:end] for mark in ".,;:!?…"):
        return False
    line = text[max(0, start - 40) : start].rsplit("\n", 1)[-1]  # "Title\n\n« Déconnecter »"
    before = line.rstrip(_QUOTE_MARKS + " \u00a0").split()
    if before and 2 <= len(before[-1]) <= 4 and before[-1].isalpha() and before[-1].isupper():
        return True  # a company's legal form: "ГП «Укрвакцина»", "ООО «Газпром»"
    if not before or not (before[-1][-1].isalpha() and before[-1][-1].islower()):
        return False
    word = before[-1].lower()
    return word not in g.cue_words and word not in g.label_words  # 'he said "Thanks"'


# --------------------------------------------------------------------------------------------
# Headline attribution.


def _headline(
    text: str,
    paragraphs: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    utterances: list[_Utterance],
    titled: list[_Mention],
    g: _Grammar,
) -> _Utterance | None:
    """A title such as "... – Azerbaijani official" or "Hajiyev: ..." is reported speech.

    ``titled`` are the names the text introduces with a role (`_titled_names`)."""
    if len(paragraphs) < 2:
        return None
    lo, hi = _strip(text, *paragraphs[0])
    title = text[lo:hi]
    known = _known_last_words(utterances, titled, hi, speakers_from=0)
    dash = max(title.rfind(f" {d} ") for d in "-–—")
    if dash > 0:
        speaker_start, speaker_end = _strip(text, lo + dash + 3, hi)
        verb = g.speech_tail.search(text, speaker_start, speaker_end)
        if verb:
            speaker_end = verb.start()
        mention = _headline_speaker(text, speaker_start, speaker_end, known, bool(verb), g)
        if mention:
            spans = _clause(text, [(lo, lo + dash)], regions)
            if spans:
                return _Utterance("reported", spans, 0, 0, mention, (lo, hi), headline=True)
    return _colon_title(text, lo, hi, 0, known, regions, utterances, g)


def _known_last_words(
    utterances: list[_Utterance], titled: list[_Mention], hi: int, speakers_from: int
) -> set[str]:
    """The last words of the names a title may give alone: the named speakers from
    ``speakers_from`` on, and the people the body after ``hi`` introduces with a role
    ("Prezydent Francji Emmnauel Macron oskarżył"; two words at least: not "die
    langjährige Pipeline-Idee")."""
    known = {
        m.text.split()[-1]
        for u in utterances
        if (m := u.mention) and m.kind == "name" and m.start >= speakers_from
    }
    known |= {words[-1] for m in titled if m.start >= hi and len(words := m.text.split()) >= 2}
    return known


def _colon_title(
    text: str,
    lo: int,
    hi: int,
    para: int,
    known: set[str],
    regions: list[tuple[int, int]],
    utterances: list[_Utterance],
    g: _Grammar,
) -> _Utterance | None:
    """A title "Hajiyev: ..." in ``text[lo:hi]``: the words after the colon are reported
    speech of the person before it (a quote there gets that person)."""
    title = text[lo:hi]
    colon = title.find(": ")
    if not 0 < colon <= 60:
        return None
    mention = _headline_speaker(text, lo, lo + colon, known, False, g)
    comma = title.rfind(", ", 0, colon)
    if mention is None and comma > 0 and title[colon + 2 : colon + 3] in _DOUBLE + "‘‚‹":
        # "Draghi vs Putin, Meluzzi: "Vi spiego..."": a topic, then who is quoted
        mention = _headline_speaker(text, lo + comma + 2, lo + colon, known, True, g)
    if mention:
        spans = _clause(text, [(lo + colon + 1, hi)], regions)
        if spans:
            return _Utterance("reported", spans, para, para, mention, (lo, hi), headline=para == 0)
        if g is not _ENGLISH:  # "Scholz: „Wir lassen uns nicht erpressen“"
            for u in utterances:
                if u.voice == "quoted" and u.para == para and u.mention is None:
                    u.mention = mention
    return None


SUBTITLE_WORDS = 30  # a subtitle under the headline is one sentence of at most this many words
SUBTITLE_CLAIM_WORDS = 4  # ... and says at least this many after its colon


def _subtitles(
    text: str,
    paragraphs: list[tuple[int, int]],
    sentences: list[list[tuple[int, int]]],
    regions: list[tuple[int, int]],
    utterances: list[_Utterance],
    titled: list[_Mention],
    g: _Grammar,
) -> list[_Utterance]:
    """Outside English, the second and third paragraphs may be subtitles in the headline's
    "Name: claim" form ("Аналитик Гуреев: решения ЕСПЧ фактически противоречили решениям
    судов РФ", "Erzbischof Viganò: Vertrag der WHO ist ein Angriff ..."): one sentence,
    nobody quoted or reported in it yet, and a speaker the article names in its body."""
    if g is _ENGLISH or len(paragraphs) < 3:
        return []
    found = []
    for para in (1, 2):
        if para + 1 >= len(paragraphs) or len(sentences[para]) != 1:
            continue
        lo, hi = _strip(text, *paragraphs[para])
        if len(text[lo:hi].split()) > SUBTITLE_WORDS or any(
            u.para == para and u.mention is not None for u in utterances
        ):
            continue
        colon = text.find(": ", lo, hi)
        if colon < 0 or len(text[colon + 1 : hi].split()) < SUBTITLE_CLAIM_WORDS:
            continue  # a byline or a caption ("Autor: Jan Nowak", "Foto: PAP"), no claim
        known = _known_last_words(utterances, titled, hi, speakers_from=hi)
        subtitle = _colon_title(text, lo, hi, para, known, regions, utterances, g)
        speaker = subtitle.mention if subtitle is not None else None
        if speaker is None or not (
            (speaker.kind == "name" and _known_name(speaker.text.split()[-1], known))
            or (
                speaker.kind == "description"
                and len(speaker.text.split()) <= 3
                and g.role_word.search(speaker.text)
            )
        ):
            continue  # "L’esercito delle Ong attacca l’Italia: ecco come" names nobody
        if not any(
            u.para == para and u.spans[0][0] < hi for u in utterances if u.voice == "reported"
        ):
            found.append(subtitle)
    return found


def _headline_speaker(
    text: str, start: int, end: int, known: set[str], has_verb: bool, g: _Grammar
) -> _Mention | None:
    span = text[start:end]
    if not span or len(span.split()) > 6:
        return None
    if span.isupper() and not (
        _written_elsewhere(text, span, end) or text.casefold().find(span.casefold(), end) >= 0
    ):
        # a kicker ("SPECIAL REPORT: ..."), not a speaker the article names ("FSB: ...")
        return None
    if g.desc_full.fullmatch(span):
        return _Mention("description", start, end, span)
    if g.run_full.fullmatch(span):
        mention = _mention(text, start, end, g)
        # a title alone is a description ("Prezydent Brazylii: ...", "МИД России: ...")
        if mention and (
            has_verb
            or mention.kind == "description"
            or _known_name(mention.text.split()[-1], known)
        ):
            return mention
    return None


def _known_name(word: str, known: set[str]) -> bool:
    """Whether a headline's name is a speaker's last name in the body, whatever its case
    ("КИССИНДЖЕР" is Киссинджер) or spelling's ending ("Zelensky" is Zelenskyy, "Tusk" is
    Tuska): one is the other, or begins it, from five letters on."""
    word = word.casefold()
    for name in known:
        name = name.casefold()
        short, long = sorted((word, name), key=len)
        if short == long or (len(short) >= 5 and long.startswith(short)):
            return True
    return False


# --------------------------------------------------------------------------------------------
# Resolution of pronouns and descriptions; speakers of unattributed quote paragraphs.


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _titled_names(text: str, g: _Grammar) -> list[_Mention]:
    """Names introduced with their role ("Premier Donald Tusk"), outside English.

    A description ("premier", "der Sprecher") can refer to a person the article introduced
    this way even when that person has not spoken yet.
    """
    if g.titled is None:
        return []
    found = []
    stems = re.compile("|".join(map(re.escape, g.role_stems)))
    for word in _WORD.finditer(text):  # cheap test first: the word holds a role's stem
        if not stems.search(word.group().lower()):
            continue
        match = g.titled.match(text, word.start())
        if match is None or _BLANK_LINE.search(text, match.start(), match.end()):
            continue  # (not a headline's last word and the next paragraph's first)
        mention = _mention(text, match.start(), match.end(), g)
        if mention is not None and mention.kind == "name" and mention.title:
            # at the role, or at a title word or two before it ("Le Premier ministre")
            starts = [match.start()]
            before = _WORDS_BEFORE.search(text, max(0, match.start() - 40), match.start())
            for k in (2, 1) if before else ():
                if before.group(k) is None or not _title_word(before.group(k), g):
                    break
                starts.append(before.start(k))
            mention.opens_sentence = any(_opens_sentence(text, at, g) for at in starts)
            found.append(mention)
    return found


# Capitalised words that open a sentence before its subject or a heading ("By Rachel Crosby",
# "Like the Dubia cardinals", "Last Friday", "Email This"), beyond those of _STOP_CAPS.
_OPENERS = set(
    """
    for what by like with from if since despite after before during under over among about
    against through into unlike although though because unless until whether why how where who
    which whose all both each every many most some such no not only once even just did does
    do can could would should will may might must let last next is are was were has have had
    regarding stop email share follow click read watch sign subscribe related see rather
    instead indeed perhaps maybe nevertheless nonetheless otherwise besides further finally
    first second third again thus hence therefore certainly clearly obviously surely
    """.split()
)
# A verb after the subject: "hailed", "agrees", "has previously said", "sent", "also testified"
_SUBJECT_VERB_AHEAD = (
    rf"(?:{_AUX}\s+)*(?:[a-z]+(?:ed|s)|{'|'.join(_VERB_WORDS)}|is|was|had|did|sent|gave|made|"
    r"took|spoke|met|went|came|became|began|held|left|saw|found|knew|thought|felt|got|put|led|"
    r"ran|wrote|told|said|could|would|will|can|may|might|must|should)\b"
)
# "The Pope took me to his apartment and said: "..."": a speech verb coordinated with the
# sentence's first verb; its subject opens the sentence (after a short adverbial).
_AND_VERB = re.compile(rf"\band\s+(?:{_AUX}\s+)*(?:{_VERBS})\b{_OBJ}\s*[:,]?\s*(?:that\s*)?$")
# "Trump had mounted an even stronger defense ..., saying, "...""
_PARTICIPLE_END = re.compile(rf",\s+{_PARTICIPLES}\b{_OBJ}\s*[:,]?\s*(?:that\s*)?$")
# What may open an English sentence before its subject: a sentence adverb ("Still,") or a
# short phrase of time or place ("In 2006,", "On Tuesday,").
_SENTENCE_OPENING = (
    r"(?:(?:Still|However|Meanwhile|Yet|Instead|Indeed|Separately|Later|Earlier|Then),\s+"
    r"|(?:In|On|At|After|Before|During)\b[^,.;:!?\"“”]{1,30},\s+)"
)
_OPENING = re.compile(
    # "Anti-jihadist activist Pamela Geller praised Orban ... and wrote," / "The activist ...":
    # a role in lower case before the name, as in _OPENING_SUBJECT
    rf"{_SENTENCE_OPENING}?(?P<a>(?:(?:{_RUN}|(?i:the))\s+(?i:{_ROLES})\s+(?={_UPPER}))?{_SPK})"
    rf"{_APPOS}\s+(?={_SUBJECT_VERB_AHEAD})"
)


_OPENING_TWO_APPOSITIONS = re.compile(
    rf"{_SENTENCE_OPENING}?(?P<a>{_RUN})(?:\s*,[^,\"“”«»]{{1,120}}){{2}},\s+(?={_SUBJECT_VERB_AHEAD})"
)


# A person's name opening an English sentence as its subject: "Ryan Petty, whose daughter was
# among those killed, hailed the vote." / "Sen. Lindsey Graham wrote ...". The name is followed
# by an apposition or by a lower-case word (its verb).
_OPENING_SUBJECT = re.compile(
    # "Still, Trump went all-in ...": a sentence adverb may come first; "EDL leader Tommy
    # Robinson, meanwhile, criticised ...": a role in lower case may follow the organisation
    # before the name
    rf"{_SENTENCE_OPENING}?"
    rf"(?P<a>(?:{_RUN}\s+(?i:{_ROLES})\s+(?={_UPPER}))?{_RUN})(?=,\s|\s+{_SUBJECT_VERB_AHEAD})"
)
_REPORTED_SENTENCE = re.compile(rf",[^,]{{1,60}}\s(?:{_VERBS})\W*$")
_POSSESSOR = re.compile(r"\S+[’']s\s+")  # "Intellihub’s Shepard Ambellas" -> the person


SUBJECT_REACH = 300  # characters: "Sen. Lindsey Graham (R-S.C.), chairman of ..., wrote"


def _sentence_subjects(text: str, sentences: list[list[tuple[int, int]]]) -> list[_Mention]:
    """English: people named as the subject that opens a sentence.

    "He said: "..."" after "Ryan Petty, whose daughter was among those killed, hailed the
    House's vote." is Petty, though Petty was not said to speak: news names the subject of
    the previous sentence and goes on with a pronoun. Only a name of two words or more, or one
    with a title ("Sen. Graham"), followed by an apposition or a verb, and not an organisation
    ("The UK Home Office") or a heading.
    """
    found = []
    flat = [sentence for paragraph in sentences for sentence in paragraph]
    last_names: list[frozenset[str]] = []  # computed on first need, once per text

    def is_last_name(word: str) -> bool:
        if not last_names:
            last_names.append(_last_names(text))
        return word in last_names[0]

    for k, (start, end) in enumerate(flat):
        # a name and its verb lie within the first characters; an unbounded match over a
        # long run of capitalised words backtracks quadratically
        match = _OPENING_SUBJECT.match(text, start, start + SUBJECT_REACH)
        if match is None:
            continue
        words = match.group("a").split()
        if (
            words[0] in _STOP_CAPS
            or words[0].lower() in _OPENERS  # "The UK Home Office", "For Hurt"
            or "I" in words  # "Pamela Geller and I"
            or any(c in match.group("a") for c in "\r\n")  # a heading above the sentence
            or _REPORTED_SENTENCE.search(text, start, end)  # "Haig had ..., his lawyer said."
        ):
            continue
        lo = match.start("a")
        for owner in _POSSESSOR.finditer(text, lo, match.end("a")):
            lo = owner.end()
        mention = _mention(text, lo, match.end("a"))
        if (
            mention is not None
            and mention.kind == "name"
            and (mention.title or len(mention.text.split()) >= 2 or is_last_name(mention.text))
            and not _organisation(mention)
        ):
            mention.opens_sentence = True
            mention.until = flat[k + 1][1] if k + 1 < len(flat) else end
            found.append(mention)
    return found


def _first_name_subjects(
    text: str, sentences: list[list[tuple[int, int]]], regions: list[tuple[int, int]], g: _Grammar
) -> list[_Mention]:
    """Outside English: a person named with a known first name as the subject that opens a
    sentence, after at most a determiner and a role ("Der Oppositionsführer Markus Feldmann
    fand deutliche Worte. „…“, sagte er."): a pronoun may be that person, as
    `_sentence_subjects` finds for English."""
    found = []
    # last names met so far after a known first name ("Petra Hollmann"): a later sentence
    # opening with the last name alone is that person ("Hollmann wies die Vorwürfe zurück.
    # „…“, betonte sie.")
    surnames: set[str] = set()
    for start, end in (sentence for paragraph in sentences for sentence in paragraph):
        words = list(_SUBJECT_WORD.finditer(text, start, min(end, start + 120)))[:5]
        mention = None
        for first, last in zip(words[:4], words[1:], strict=False):
            if (
                not last.group(1)[0].isupper()
                or first_name_gender(first.group(1), g.lang) is None
                or not text[first.end() : last.start(1)].isspace()  # "[Владимир] Путин"
            ):
                continue
            mention = _full_name(text, first.start(1), last.end(), end)
            break
        if mention is None:
            alone = next((w for w in words[:3] if w.group(1) in surnames), None)
            if alone is not None:
                mention = _Mention("name", alone.start(1), alone.end(1), alone.group(1))
        if mention is not None:
            mention.opens_sentence = True
            if (
                # the name, then its verb, or an apposition or relative clause between
                # them ("Jürgen Behrendt, auf dessen Flächen ... entstehen, sieht ...")
                (
                    text[mention.end : end].lstrip()[:1].islower()
                    or (
                        text.startswith(",", mention.end)
                        and (apposed := _APPOSITION_END.match(text, mention.end + 1, end))
                        is not None
                        and text[apposed.end() : apposed.end() + 1].islower()
                    )
                )
                and not _inside(regions, mention.start)  # a quoted sentence's subject
                and not _organisation(mention)  # "Robert Koch-Institut"
            ):
                found.append(mention)
        surnames.update(_known_last_names(text, start, end, g))
    return found


def _known_last_names(text: str, start: int, end: int, g: _Grammar) -> list[str]:
    """The last names written after a known first name in ``text[start:end]``."""
    words = list(_SUBJECT_WORD.finditer(text, start, end))
    return [
        last.group(1)
        for first, last in zip(words, words[1:], strict=False)
        if last.group(1)[0].isupper()
        and first.group(1)[0].isupper()
        and text[first.end() : last.start(1)].isspace()
        and first_name_gender(first.group(1), g.lang) is not None
    ]


# A word at a sentence's start, without an elided article ("L'economista": "economista")
_SUBJECT_WORD = re.compile(r"(?<![\w'’-])(?:[^\W\d_]{1,3}['’])?([^\W\d_][\w-]*)")


# A capitalised word or an initial ("W."), then blanks, then a word: that word follows a
# first name. Words are runs of letters and digits with ’ ' - inside, as `_last_names` reads
# the word before; the word after is the run of letters and digits alone.
_AFTER_FIRST_NAME = re.compile(r"(?<![^\W_])([^\W_](?:[^\W_]|[’'-])*)(\.?)[ \t]+(?=([^\W_]+))")


@lru_cache(maxsize=2)  # asked per "X zufolge" sentence of a text (cleared by _find_quotes)
def _last_names(text: str) -> frozenset[str]:
    """Every word of ``text`` written after a capitalised word or an initial: "Kavanaugh"
    in "Brett Kavanaugh" or "W. Kavanaugh", not after a sentence's end ("in Washington.
    Kavanaugh said"). One pass over the text, so that a sentence subject's test costs a
    look-up (a scan of the whole text per subject was quadratic on hostile input)."""
    found = set()
    for match in _AFTER_FIRST_NAME.finditer(text):
        before, dot = match.group(1), match.group(2)
        if before[0].isupper() and (not dot or len(before) == 1):
            found.add(match.group(3))
    return frozenset(found)


_STOP = re.compile(r"[.!?…\r\n]")


def _opens_sentence(text: str, pos: int, g: _Grammar) -> bool:
    """True when only a determiner stands between the sentence start and ``pos`` (in French
    and Italian also a participle's phrase before it)."""
    if g.sentence_det is None:
        return False
    head = _sentence_head(text, pos, 60)
    if head is not None and g.sentence_det.fullmatch(head) is not None:
        return True
    # after a participle's phrase: "Interrogé sur un nouveau 49.3, le Premier ministre Julien
    # Marchetti a refusé ...", "Intervenuto al convegno, il ministro ..."
    fronted = _FRONTED_PARTICIPLE.get(g.lang)
    head = _sentence_head(text, pos, 220) if fronted else None
    lead = fronted.match(head) if fronted and head else None
    return lead is not None and g.sentence_det.fullmatch(head, lead.end()) is not None


def _sentence_head(text: str, pos: int, reach: int) -> str | None:
    """The text from the start of the sentence holding ``pos`` to ``pos``, if it starts
    within ``reach`` characters (a point between digits ends no sentence: "49.3")."""
    lo = max(0, pos - reach)
    stops = [
        m.end()
        for m in _STOP.finditer(text, lo, pos)
        if not (text[m.start() - 1 : m.start()].isdigit() and text[m.end() : m.end() + 1].isdigit())
    ]
    if not stops and lo > 0:
        return None
    return text[stops[-1] if stops else 0 : pos].lstrip()


# How many of the people who spoke, and of those introduced, a pronoun looks back on.
_PRONOUN_WINDOW = 60
# How far back (characters) a pronoun looks for a person described by role alone.
_DESCRIBED_REACH = 600
# ... and "they" for a group that spoke.
_GROUP_REACH = 1000


def _resolve(
    text: str,
    utterances: list[_Utterance],
    g: _Grammar,
    titled: list[_Mention],
    regions: list[tuple[int, int]],
) -> None:
    """Resolve each mention to the most recent fitting named speaker before it.

    A pronoun is the person who spoke last, or the person a later sentence introduced as its
    subject ("Le ministre de l'Intérieur, Jean Morel, a attaqué ... « ... », a-t-il déclaré"),
    whichever is nearer.
    """
    named: list[tuple[int, _Mention]] = []  # (where the person spoke, who)
    # People who spoke under a role alone ("the minister told reporters"): a later "he
    # added" close by is that person unless someone named spoke nearer.
    described: list[tuple[int, _Mention]] = []
    unnamed_at = -1  # where a speaker the article leaves unnamed last spoke
    known = _known_genders([u.mention for u in utterances if u.mention] + titled, g, text)
    starts = [t.start for t in titled]  # titled is in text order
    found: dict[int, str | None] = {}  # each person's gender, worked out once

    def gender_of(person: _Mention) -> str | None:
        if id(person) not in found:
            found[id(person)] = _gender_of(person, g, known)
        return found[id(person)]

    def fits(person: _Mention, gender: str) -> bool:
        return gender_of(person) in (None, gender)

    for u in sorted(
        (u for u in utterances if u.mention is not None), key=lambda u: u.mention.start
    ):
        mention = u.mention
        u.resolved = True
        if mention.kind == "name":
            u.speaker = mention
            if g.lang == "de" and _german_person_noun(f"{mention.title} {mention.text}"):
                # "sagte die Rentnerin": a common noun, capitalised, read as a name
                before = bisect_left(starts, mention.start)
                noun = _Mention(
                    "description", mention.start, mention.end, f"{mention.title} {mention.text}"
                )
                nearest_titled = titled[max(0, before - _PRONOUN_WINDOW) : before]
                subject = _described_subject(text, noun, None, named, nearest_titled, regions, g)
                u.speaker = subject or mention
            named.append((mention.start, u.speaker))
        elif mention.kind == "pronoun":
            # the nearest people only: a pronoun means someone close by, and every pronoun
            # of a long article looking at every earlier person was quadratic
            before = bisect_left(starts, mention.start)
            introduced = titled[max(0, before - _PRONOUN_WINDOW) : before]
            singular = mention.text.lower() not in g.plural_pronouns
            if g is _ENGLISH:  # any name opening a sentence: only in it and the next one
                introduced = [t for t in introduced if mention.start < t.until]
            subjects = [(t.start, t) for t in introduced if t.opens_sentence]
            # a person described by role alone counts if they spoke close by
            nearby = [d for d in described if mention.start - d[0] <= _DESCRIBED_REACH]
            candidates = named[-_PRONOUN_WINDOW:] + subjects + (nearby if singular else [])
            number = _german_sie(text, mention) if g.lang == "de" else None
            if number == "plural" or _plural(mention, g):
                # "They said" after "Wilson said" is not Wilson: several speak, so only a
                # group may be meant (an organisation, "Rossello and Gonzalez", "Prosecutors")
                groups = [
                    c
                    for c in candidates
                    if _group(c[1], g) and mention.start - c[0] <= _GROUP_REACH
                ]
                nearest = max(groups, key=lambda p: p[0], default=None)
                u.speaker = nearest[1] if nearest is not None else None
                continue
            # "he" / "il" / "er" is a person: a newspaper or a ministry quoted nearer is passed
            # over for a person who spoke before it, and is never "he" itself; German "sie"
            # (she or they) may be one.
            people = [c for c in candidates if not _organisation(c[1])]
            if not people and mention.text.lower() not in g.plural_pronouns:
                candidates = []
            # "she" is not "Pope Francis", nor "Curtis" where "Mr. Curtis" was written
            gender = "f" if number == "singular" else _pronoun_gender(mention, g)
            spoke = bool(people)
            if gender is not None:
                people = [c for c in people if fits(c[1], gender)]
                candidates = [c for c in candidates if fits(c[1], gender)]
                introduced = [t for t in introduced if fits(t, gender)]
            nearest = max(people or candidates, key=lambda p: p[0], default=None)
            if gender is not None and spoke and not people:
                # people spoke, but none fits "she" / "powiedziała": the person of that
                # gender the article named last, close by ("Ewa Mazur protestowała ... – Pan
                # prezydent ... – powiedział Marek Lis. – ... – powiedziała."), not a speaker
                # of the other gender
                named_nearby = _gendered_name_before(text, mention.start, gender, g, regions)
                if named_nearby is not None:
                    nearest = (named_nearby.start, named_nearby)
            elif (
                gender is not None
                and g is not _ENGLISH  # English subjects carry their own reach (`until`)
                and (
                    (nearest is None and not introduced)
                    or (nearest is not None and nearest[1].kind == "description")
                )
                and (nearest is None or gender_of(nearest[1]) is None)
            ):
                # nobody introduced or spoke before "она" / "её", or only a role of no known
                # gender ("депутат"): a person of that gender named since is meant ("...
                # стала акушерка Наталья Сергеевна Громова. — ..., — сказала она")
                named_nearby = _gendered_name_before(text, mention.start, gender, g, regions)
                after = nearest[0] if nearest is not None else -1
                if named_nearby is not None and named_nearby.start > after:
                    nearest = (named_nearby.start, named_nearby)
            if nearest is not None:
                u.speaker = nearest[1]
                # an English subject: "she" goes on meaning her; elsewhere whoever "она"
                # surely was (the gender agrees) has spoken last, for a role after it ("По
                # словам прокурора"), unless a role of theirs is known: one that names it
                # finds them by title, and another is someone else ("Защитник Анна
                # Петрова … сказала она. По словам прокурора" is not hers)
                sure = gender is not None and gender_of(nearest[1]) == gender
                sure = sure and not g.role_word.search(nearest[1].title)
                if nearest[1].until >= 0 or (g is not _ENGLISH and sure):
                    named.append((mention.start, nearest[1]))
            else:  # before anyone has spoken, "il" / "er" is the person introduced last
                u.speaker = introduced[-1] if introduced else None
        else:
            before = bisect_left(starts, mention.start)
            nearest_titled = titled[max(0, before - _PRONOUN_WINDOW) : before]
            # the speakers close by (every description scanning every earlier one was quadratic)
            recent = [m for _, m in named[-_PRONOUN_WINDOW:]]
            antecedent = _antecedent(text, mention, recent, g, nearest_titled)
            if (
                antecedent is not None
                and named
                and unnamed_at > named[-1][0]
                and _role_of(mention, g) in _INTERLOCUTORS
            ):
                # the one who spoke last is someone unnamed ("D'après une source proche de
                # l'agence, ... « … », glisse cet interlocuteur"), not the last named person
                antecedent = None
            if g is not _ENGLISH:
                subject = _described_subject(
                    text, mention, antecedent, named, nearest_titled, regions, g
                )
                antecedent = subject or antecedent
            if antecedent is None:
                unnamed_at = mention.start
            u.speaker = antecedent or mention
            if antecedent is not None and g is not _ENGLISH:
                # "he" after "the minister said" is the minister
                named.append((mention.start, antecedent))
            elif (
                antecedent is None
                and _role_of(mention, g) in g.person_roles
                and g.desc_full.fullmatch(mention.text)  # "the minister", not a longer phrase
            ):
                described.append((mention.start, mention))


# Roles that stand for whoever spoke last, named or not: the journalist's interlocutor
_INTERLOCUTORS = frozenset(
    "interlocuteur interlocutrice interlocutore gesprächspartner "
    "gesprächspartnerin rozmówc rozmówczyn собеседник".split()
)


# How far back (characters) a gendered pronoun looks for a person whose first name fits
_GENDERED_NAME_REACH = 600
# "First Last", as a look-ahead so that every word starts a try ("attorney James Bacon")
_FULL_NAME = re.compile(r"(?<![\w'-])(?=([^\W\d_][\w'-]+)\s+([^\W\d_][\w-]+))")


def _gendered_name_before(
    text: str, pos: int, gender: str, g: _Grammar, regions: list[tuple[int, int]]
) -> _Mention | None:
    """The last "First Last" before ``pos`` (within `_GENDERED_NAME_REACH`) whose first name
    is of ``gender`` and whose last name is capitalised: not in quoted words, and not an
    organisation ("Marine Corps", "Victoria Police")."""
    lo = max(0, pos - _GENDERED_NAME_REACH)
    for match in reversed(list(_FULL_NAME.finditer(text, lo, pos))):
        first, last = match.group(1), match.group(2)
        if (
            not (first[0].isupper() and last[0].isupper())
            or first_name_gender(first, g.lang) != gender
            or _inside(regions, match.start())
        ):
            continue
        mention = _full_name(text, match.start(), match.end(2), pos)
        if not _organisation(mention):
            return mention
    return None


def _full_name(text: str, start: int, end: int, limit: int) -> _Mention:
    """The name at ``text[start:end]`` with the capitalised words after it on its line, up
    to ``limit`` ("Christine Blasey Ford"), its blanks as single spaces."""
    while (more := _NEXT_WORD.match(text, end, limit)) is not None and more.group(1)[0].isupper():
        end = more.end()
    return _Mention("name", start, end, " ".join(text[start:end].split()))


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w-]*)(?![\w'’])")


# Words that make a speaker an organisation (a medium, a ministry, a party), in the six
# languages: a personal pronoun does not stand for one when a person is at hand.
_ORGANISATION = re.compile(
    r"(?i)\b(?:news|times|post|journal|agency|ministry|department|commission|committee|"
    r"service|bureau|office|council|court|university|college|center|centre|association|union|"
    r"institution|institut|istituto|instytut|институт\w*|corps|democrats|republicans|school|"
    r"schule|"
    r"party|government|institute|foundation|reuters|bloomberg|afp|tass|bbc|cnn|"
    r"ministère|agence|gouvernement|parti|ministerium|agentur|zeitung|regierung|kommission|"
    r"partei|ministero|agenzia|governo|commissione|partito|ministerstwo|agencja|rząd|komisja|"
    r"partia|министерств\w*|агентств\w*|правительств\w*|мид|комисси\w*|парти\w*|"
    # police, prosecutors, courts and offices: "Straż Graniczna", "la procura di Milano"
    r"police|polizei|polizia|policja|straż\w*|полици\w*|prokuratur\w*|прокуратур\w*|"
    r"procura|parquet|staatsanwaltschaft|tribunal|tribunale|gericht|sąd|суд|urząd|behörde)\b"
)


def _organisation(mention: _Mention) -> bool:
    """ "Fox News", "The Washington Post", "CNN", "ISIS", "I4CE", "Straż Graniczna": named by
    an organisation word or an acronym at the end, or an organisation word first ("Fox News
    host Tucker Carlson" is a person)."""
    return _organisation_name(mention.text)


@lru_cache(maxsize=4096)  # a description is tested against every earlier speaker
def _organisation_name(name: str) -> bool:
    words = name.split()
    if not words:
        return False
    last = words[-1]
    # the head noun may also come first ("Straż Graniczna", "Ministerstwo Zdrowia")
    return bool(
        _ORGANISATION.fullmatch(last)
        or _ORGANISATION.fullmatch(last.rsplit("-", 1)[-1])  # "Robert Koch-Institut"
        or _ACRONYM.fullmatch(last)
        or _ORGANISATION.fullmatch(words[0])
    )


# An acronym of two or more capitals, not a regnal number ("John Paul II").
_ACRONYM = re.compile(r"(?![IVX]+\b)(?=(?:\d*[A-ZА-ЯЁ]){2})[A-ZА-ЯЁ\d]+")

# Subjectless speech verbs whose ending says several spoke: ru "заявили", "считают"; pl
# "dodali", "mówią"; it "hanno detto", "dicono".
_PLURAL_VERB = {
    "ru": re.compile(r"(?i)\S*(?:ли|лись|ют|ят|ут|ат)"),
    "pl": re.compile(r"(?i)\S*(?:li|ły|ą)"),
    "it": re.compile(r"(?i)(?:hanno\s.*|\S*[ao]no)"),
}

# Pronouns of one gender; German "sie" and Italian "lei" (also the polite "you") left open.
_PRONOUN_GENDER = {
    **dict.fromkeys("he him il egli er on jego niego он его".split(), "m"),
    **dict.fromkeys("she her elle ella ona jej niej она её ее".split(), "f"),
}
_PRONOUN_GENDER_BY_LANG = {("fr", "lui"): "m", ("it", "lui"): "m"}

# Subjectless past verbs: ru "заявил" / "заявила", pl "dodał" / "dodała".
_VERB_GENDER = {
    "ru": (re.compile(r"\S*л(?:ся)?"), re.compile(r"\S*ла(?:сь)?")),
    "pl": (re.compile(r"\S*ł"), re.compile(r"\S*ła")),
}

# Words of a title or name that say a person's gender.
_GENDER_WORDS = {
    **dict.fromkeys(
        """
        mr mr. sir lord king prince pope cardinal father spokesman chairman congressman
        councilman assemblyman businessman m. monsieur herr signor pan господин
        """.split(),
        "m",
    ),
    **dict.fromkeys(
        """
        mrs mrs. ms ms. miss lady queen princess dame sister spokeswoman chairwoman
        congresswoman councilwoman assemblywoman businesswoman actress mme mme. madame
        frau signora pani госпожа
        """.split(),
        "f",
    ),
}

# Feminine forms of roles in a title's first word: fr "la ministre", "présidente",
# "sénatrice"; it "la ministra", "professoressa"; pl "posłanka", "rzeczniczka"; ru
# "журналистка", "писательница". German ones are a role and "-in" ("Bundeskanzlerin").
_FEMININE_ROLE = {
    "fr": re.compile(r"la|l['’]ancienne|\w+(?:trice|ente|ée)"),
    "it": re.compile(r"la|\w+(?:essa|trice)|ministra|sindaca|deputata|avvocata"),
    "pl": re.compile(r"\w+(?:czka|arka|anka|orka|eska|owa)"),
    "ru": re.compile(r"\w+(?:истка|ница|ведущая)"),
}


def _known_genders(mentions: list[_Mention], g: _Grammar, text: str = "") -> dict[str, str]:
    """The gender of each last name that a title gave it somewhere in the article ("Ms.
    Mallory" makes a later "Mallory" a woman), or a known first name written before it
    ("Ganz anders sieht es Jonas Petersen ..." makes "teilte Petersen mit" a man, whom
    "sagte sie" is not); a name given both is left out."""
    genders: dict[str, set[str]] = {}
    for mention in mentions:
        gender = _gender(mention, g) if mention.kind == "name" else None
        if gender is not None:
            genders.setdefault(mention.text.split()[-1], set()).add(gender)
    if g is not _ENGLISH:  # (English keeps its tested look-ups: titles and speakers)
        for last, found in _first_named(text, g.lang).items():
            genders.setdefault(last, set()).update(found)
    return {name: next(iter(found)) for name, found in genders.items() if len(found) == 1}


def _gender_of(mention: _Mention, g: _Grammar, known: dict[str, str]) -> str | None:
    """A person's gender as far as the article tells it: by title or first name, else as a
    title gave it to the same last name elsewhere ("Ms. Mallory" ... "Mallory")."""
    found = _gender(mention, g)
    if found is None and mention.kind == "name" and mention.text:
        found = known.get(mention.text.split()[-1])
    return found


def _pronoun_gender(mention: _Mention, g: _Grammar) -> str | None:
    """ "m" or "f" where a pronoun or subjectless verb says whom it stands for."""
    word = mention.text.lower()
    gender = _PRONOUN_GENDER_BY_LANG.get((g.lang, word)) or _PRONOUN_GENDER.get(word)
    if gender is None and g.lang in _VERB_GENDER:
        masculine, feminine = _VERB_GENDER[g.lang]
        gender = "f" if feminine.fullmatch(word) else "m" if masculine.fullmatch(word) else None
    return gender


def _gender(mention: _Mention, g: _Grammar) -> str | None:
    """ "m" or "f" where a speaker's title or first name says it ("Pope Francis", "Ms. Ford",
    "Frau Merkel", "Bundeskanzlerin Merkel", "posłanka Anna Nowak", "Anna Krüger"), else
    None."""
    title = mention.title.lower().split()
    words = title + mention.text.lower().split()
    for word in words[:-1] if mention.kind == "name" else words:
        gender = _GENDER_WORDS.get(word)
        if gender:
            return gender
    feminine = _FEMININE_ROLE.get(g.lang)
    if title and feminine is not None and feminine.fullmatch(title[0]):
        return "f"
    if g.lang == "de" and any(
        word.endswith("in") and word[:-2].endswith(g.role_stems) for word in title
    ):
        return "f"
    names = mention.text.split()
    if mention.kind == "name" and len(names) >= 2:  # "Chiara De Santis", not "De Santis"
        return first_name_gender(names[0], g.lang)
    return None


# Plural nouns that open a sentence as its speaker: "Prosecutors said ...".
_PLURAL_GROUPS = frozenset(
    """
    prosecutors scientists officials researchers experts critics democrats republicans police
    authorities investigators lawmakers legislators analysts activists protesters residents
    witnesses lawyers attorneys doctors leaders organizers organisers authors students parents
    teachers members supporters opponents conservatives liberals progressives economists
    officers agents sources journalists reporters observers voters citizens americans
    russians ukrainians israelis palestinians europeans muslims christians jews catholics
    bishops priests judges senators congressmen diplomats generals soldiers troops militants
    rebels insurgents jihadists terrorists scholars historians
    """.split()
)

# Plural nouns that speak as one word: ru "Медики", "Эксперты" (not "Гахарии", a genitive
# name); pl "Eksperci", "Lekarze", "Władze".
_PLURAL_NOUN = {
    "ru": re.compile(r"\w+(?:[^и\W]и|ы|ые|ие)"),
    "pl": re.compile(r"\w+(?:cy|ci|rze|dze|owie)"),
}

# Words that join two speakers into one mention: "Rossello and Gonzalez".
_COORDINATION = re.compile(r"(?i)\s(?:and|et|und|e|i|oraz|и)\s")


def _plural(mention: _Mention, g: _Grammar) -> bool:
    """A pronoun or subjectless verb that stands for several ("they", "ils", "заявили").
    German "sie" is also "she", so it is left open."""
    word = mention.text.lower()
    if word in g.plural_pronouns:
        return g.lang != "de"
    verb = _PLURAL_VERB.get(g.lang)
    return verb is not None and bool(verb.fullmatch(word))


# The word after a German pronoun: "sie sagte" (she), "sie sagten" (they).
_WORD_AFTER_PRONOUN = re.compile(r"[ \t]+([^\W\d_]+)")


def _german_sie(text: str, mention: _Mention) -> str | None:
    """Whether German "sie" is "she" ("singular") or "they" ("plural"), by the verb next to it:
    a verb ending in "-en" is plural ("sagten sie", "sie erklärten"), one in "-e" or "-t"
    singular ("betonte sie", "sie sagt"); None for another word or another pronoun."""
    if mention.text.lower() != "sie":
        return None
    before = _WORDS_BEFORE.search(text, max(0, mention.start - 40), mention.start)
    after = _WORD_AFTER_PRONOUN.match(text, mention.end)
    for verb in (before and before.group(2), after and after.group(1)):
        word = verb.lower() if verb else ""
        if word.endswith("en"):
            return "plural"
        if word.endswith(("te", "t")) and word not in _GERMAN_NOT_VERBS:
            return "singular"
    return None


# Words ending in "-t" or "-te" that stand next to "sie" and are no verb.
_GERMAN_NOT_VERBS = frozenset("nicht jetzt erst selbst bereits bisher meist oft".split())


def _group(mention: _Mention, g: _Grammar) -> bool:
    """A speaker that "they" may stand for: an organisation, two people joined by "and",
    or a plural noun ("Prosecutors", "Scientists")."""
    if _organisation(mention) or _COORDINATION.search(mention.text):
        return True
    if mention.kind != "name" or _introduced(mention):
        return False
    word = mention.text.lower()
    plural_noun = _PLURAL_NOUN.get(g.lang)
    return (
        word in _PLURAL_GROUPS
        if g is _ENGLISH
        else bool(plural_noun and plural_noun.fullmatch(word))
    )


# "Another minister said": not the minister already named.
_ANOTHER = re.compile(
    r"(?i)(?<!\w)(?:another|un\s+autre|une\s+autre|ein(?:e|en)?\s+(?:anderer?|weiterer?)|"
    r"un\s+altro|un['’]altra|inn[ya]|kolejn[ya]|друг(?:ой|ая)|ещ[её]\s+один|ещ[её]\s+одна)\s"
)


def _antecedent(
    text: str,
    mention: _Mention,
    named: list[_Mention],
    g: _Grammar,
    titled: list[_Mention] = (),
) -> _Mention | None:
    role = _role_of(mention, g)
    if role not in g.person_roles or not (named or titled) or _ANOTHER.search(mention.text):
        return None
    # (a person's: "rzeczniczki Straży Granicznej" names the spokeswoman's employer)
    for candidate in reversed(named):
        if _titled(candidate, role) and not _organisation(candidate):
            return None if _other_complement(mention, candidate, role) else candidate
    for candidate in reversed([t for t in titled if t.start < mention.start]):
        if _titled(candidate, role) and not _organisation(candidate):
            return None if _other_complement(mention, candidate, role) else candidate
    # failing a title that says so, the person who spoke last ("Scholz ... Глава германского
    # правительства заявил", "Orban ... the prime minister said"): not an organisation, and not
    # someone new ("an ADL official", "un diplomate russe"); outside English also a person: a
    # name the article gives with a first name or a title somewhere, not one word that may be
    # an outlet or a place ("Libération écrit :", "в Москве")
    last = named[-1] if named else None
    if last is None or last.posted or _organisation(last) or _INDEFINITE.match(mention.text):
        return None
    if g is not _ENGLISH and not (_introduced(last) or _full_name_elsewhere(text, last.text, g)):
        return None
    # a feminine role is no man ("il senatore Marco Bellini" ... "La ministra ha poi
    # ricordato"); a masculine one may be a woman ("il capo del governo" Kaja Kallas, "министр"),
    # and writers vary the role ("il premier" ... "il presidente del Consiglio")
    if _description_gender(mention, g) == "f" and _gender(last, g) == "m":
        return None
    return None if _other_complement(mention, last, role) else last


def _described_subject(
    text: str,
    mention: _Mention,
    antecedent: _Mention | None,
    named: list[tuple[int, _Mention]],
    introduced: list[_Mention],
    regions: list[tuple[int, int]],
    g: _Grammar,
) -> _Mention | None:
    """The person a sentence of the same paragraph opened with, for a description after it
    ("Die Sprecherin der Initiative, Annegret Falkenhahn, wies die Vorwürfe zurück. „…“,
    sagte die 58-jährige Tierärztin."): news introduces someone as a sentence's subject and
    goes on with another word for them, as with a pronoun. Not when a speaker's title names
    the role ("sagte der Landrat"), when a nearer speaker spoke, when the description is
    someone new ("ein Sprecher") or of the other gender, nor when it names a role of its own
    that the subject's title does not ("der Sprecher der Stadt" after "Bürgermeister X")."""
    role = _role_of(mention, g)
    words = mention.text.lower().split()
    # only after a definite article ("der", "la", "il"): without one (Polish, Russian) a role
    # is as often someone else's title ("Marszałek stwierdził" after "Monika Olejnik ...")
    if not words or words[0] not in _DESCRIPTION_GENDER.get(g.lang, {}):
        return None
    if not (role in g.person_roles or _definite_person(mention, g)):
        return None
    if antecedent is not None and role and _titled(antecedent, role):
        return None
    # where someone last spoke before (a quote inside reported speech shares its mention)
    spoke_at = next((at for at, _ in reversed(named) if at < mention.start), -1)
    # a person found both by title and by first name ("Bürgermeister Peter Lang") has the title
    titles = {t.text: t.title for t in introduced if t.title}
    for subject in reversed(introduced):
        if subject.start < spoke_at or text.find("\n", subject.end, mention.start) >= 0:
            return None
        # the sentence before at most ("Pastor Henning Brandt ... hat geöffnet." between
        # "Albrecht" and "sagte der Theologe" is another person's)
        ends = _SENTENCE_END.finditer(text, subject.end, mention.start)
        if sum(not _inside(regions, end.start()) for end in ends) > 1:
            return None
        # a titled one-word name may be cut off ("Il presidente russo Vladimir ”Putin ...")
        cut = subject.title and " " not in subject.text
        if not subject.opens_sentence or _organisation(subject) or cut:
            continue
        mine, theirs = _description_gender(mention, g), _gender(subject, g)
        if mine is not None and theirs is not None and mine != theirs:
            return None
        title = subject.title or titles.get(subject.text, "")
        titled_so = bool(role) and role in _role_words(title.lower())
        if _COMPLEMENT.search(mention.text) and not titled_so:
            return None  # a role of its own: "die Sprecherin der Stadt", "il ministro dell'…"
        if title and role and role not in _AGE_ROLES and not titled_so:
            return None  # another role than the subject's: "le préfet" after "Le ministre X"
        return subject
    return None


# Roles that only say a person's age ("die 58-jährige Tierärztin"): another word for anyone
_AGE_ROLES = frozenset(
    "jährige jähriger enne trentenaire quadragénaire quinquagénaire sexagénaire septuagénaire "
    "octogénaire".split()
)


# What gives a description a role of its own: a complement after its noun ("der Sprecher der
# Stadt", "la portavoce del ministero", "rzecznik MSZ")
_COMPLEMENT = re.compile(
    r"\s(?:(?:der|des|von|vom|für|bei|im|am|de|du|des|di|del|della|dei|degli|delle|dello|da|dal|"
    r"dalla)\s|(?:d|dell|dall|nell|sull)['’])"
)


# A German noun for a person after its article, which `_mention` reads as a name: "die
# Rentnerin", "der Münchner Verwaltungsrechtler" (not an outlet: "der Spiegel", "die Welt";
# not a body: "der Verein", "der Sender", "der Hersteller", see `_german_person_noun`)
_GERMAN_PERSON_NOUN = re.compile(
    r"(?P<det>der|die)(?:\s+[A-ZÄÖÜ]\w*)?\s+(?P<noun>[A-ZÄÖÜ]\w*(?:er|in|ist|ent|loge|ant))"
)
# Nouns in -er that name a body, not a person (also ending a compound: "Netzbetreiber")
_GERMAN_BODY_NOUNS = (
    "sender hersteller betreiber anbieter veranstalter versorger konzern träger verlag "
    "verband versender erzeuger händler vermieter vermarkter entwickler zulieferer "
    "versicherer anzeiger kurier spiegel"
).split()


def _german_person_noun(words: str) -> bool:
    """Whether ``words`` ("die Rentnerin") is a person described by a noun: "-in" only after
    "die" (not "der Verein"), and no noun of a body ("der Sender")."""
    match = _GERMAN_PERSON_NOUN.fullmatch(words)
    if match is None:
        return False
    noun = match.group("noun").lower()
    if noun.endswith("in") and match.group("det") != "die":
        return False
    return not noun.endswith(tuple(_GERMAN_BODY_NOUNS))


def _definite_person(mention: _Mention, g: _Grammar) -> bool:
    """A description with a definite determiner for one person ("die Rentnerin", "il
    medico"), not a body ("die Polizei") nor several ("die Experten")."""
    words = mention.text.lower().split()
    if len(words) < 2 or words[0] not in _DESCRIPTION_GENDER.get(g.lang, {}):
        return False
    if g.lang == "de" and words[0] == "die" and not words[-1].endswith("in"):
        return False  # "die Experten" (but "die Ärztin")
    return not _organisation(mention) and not words[-1].endswith("innen")


# A sentence's end, as `_described_subject` counts the sentences between (outside quotes)
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


# Determiners that tell a description's gender: "die Tierärztin", "la portavoce", "il sindaco"
_DESCRIPTION_GENDER = {
    "de": {"der": "m", "die": "f"},
    "fr": {"le": "m", "la": "f"},
    "it": {"il": "m", "lo": "m", "la": "f"},
}


def _description_gender(mention: _Mention, g: _Grammar) -> str | None:
    """ "m" or "f" where a description's determiner or role word says it."""
    words = mention.text.lower().split()
    if not words:
        return None
    gender = _DESCRIPTION_GENDER.get(g.lang, {}).get(words[0]) or next(
        (_GENDER_WORDS[w] for w in words if w in _GENDER_WORDS), None
    )
    if gender is not None:
        return gender
    feminine = _FEMININE_ROLE.get(g.lang)
    last = words[-1]
    if feminine is not None and feminine.fullmatch(last):
        return "f"
    if g.lang == "de" and last.endswith("in") and last[:-2].endswith(g.role_stems):
        return "f"
    return None


def _other_complement(mention: _Mention, candidate: _Mention, role: str) -> bool:
    """Whether the role of ``mention`` and the candidate's title name different places or
    bodies right after it: "Президент России" is not "президент США" Joe Biden (words in
    lower case may say one thing two ways: "глава евродипломатии", "Глава дипломатии ЕС")."""

    def after(words: str) -> str:
        split = words.split()
        k = next((i for i, w in enumerate(split) if role in w.lower()), -1)
        word = split[k + 1] if 0 <= k < len(split) - 1 else ""
        return word if word[:1].isupper() else ""

    mine, theirs = after(mention.text), after(candidate.title)
    return bool(mine and theirs and mine != theirs)


def _titled(mention: _Mention, role: str) -> bool:
    """Whether a role stem is in the mention's title as that role, not as a word that shares
    its letters: Polish "politykę zarządców Polin" is the managers' policy, not a politician."""
    return role in _role_words(mention.title.lower())


@lru_cache(maxsize=4096)
def _role_words(title: str) -> str:
    """``title`` without the words that only look like roles (cached: `_antecedent` asks of
    every earlier speaker for every description)."""
    return " ".join(word for word in title.split() if not _NOT_A_ROLE.fullmatch(word))


# Words that hold a role stem but are no role: Polish polityka (policy) in the cases that
# polityk (politician) does not share.
_NOT_A_ROLE = re.compile(r"polityk[ęą]|polityki|polityce")


_INDEFINITE = re.compile(r"(?i:a|an|one|another|un|une|uno|una|ein|eine|einer|einem|einen)\s")


_ROLE_COMPLEMENT = re.compile(r"\s(?:of|for|at|with|in|from|on)\s")


def _role_of(mention: _Mention, g: _Grammar) -> str:
    """The role noun of a description: "the spokesperson for the ministry" -> spokesperson.

    Outside English it is the role's stem as listed ("Regierungssprecherin" -> sprecher,
    "rzecznika" -> rzecznik), so that it can be found in the title of a named speaker.
    """
    match = g.role_word.search(mention.text)
    if not match:
        return ""
    if g is _ENGLISH:  # "A government spokesman": the last role word before "of", "for", ...
        head = _ROLE_COMPLEMENT.split(mention.text, maxsplit=1)[0]
        match = next(reversed(list(g.role_word.finditer(head))), match)
    word = match.group().lower()
    return next((stem for stem in g.role_stems if stem in word), word)


def _resolve_headline(headline: _Utterance, utterances: list[_Utterance], g: _Grammar) -> None:
    """A headline description ("Azerbaijani official") is the article's main named speaker."""
    mention = headline.mention
    headline.resolved = True
    if mention is None or mention.kind == "name":
        headline.speaker = mention
        return
    named = [u.speaker for u in utterances if u.speaker and u.speaker.kind == "name"]
    if _role_of(mention, g) not in g.person_roles or not named:
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
        if (
            _may_inherit(u)
            and prev.speaker is not None
            and not prev.labelled
            and not prev.turn  # a label names the speaker of its own turn only
            and u.para - prev.last_para <= 1
        ):
            u.speaker, u.resolved = prev.speaker, True
    for u, nxt in zip(reversed(utterances[:-1]), reversed(utterances[1:]), strict=False):
        if (
            _may_inherit(u)
            and nxt.voice == "quoted"
            and nxt.speaker is not None
            and not nxt.labelled
            and not nxt.turn
            and nxt.para - u.last_para <= 1
        ):
            u.speaker, u.resolved = nxt.speaker, True


# German finite verbs in the subjunctive of reported speech (Konjunktiv I, third person):
# forms the indicative does not share there ("sei", not "sein"; "habe" is "ich habe" only).
_KONJUNKTIV = frozenset(
    """
    sei seien habe werde könne müsse dürfe solle wolle möge gebe bestehe liege gelte
    stehe gehe komme sehe brauche fehle rechne plane hoffe erwarte fordere lehne wisse halte
    trage lasse bleibe führe mache glaube denke arbeite setze nehme finde zeige drohe
    verliere beginne entstehe betrage koste reiche treffe prüfe bedeute bringe befinde
    verfüge zahle kenne handle erkenne biete suche spreche
    """.split()
)
# Words that open a German subordinate clause (a sentence may start with one), and after a
# comma also a relative clause
_SUBORDINATE_OPENINGS = frozenset(
    "wenn weil da falls ob obwohl obgleich solange sobald nachdem bevor während damit sofern "
    "wer wo".split()
)
_RELATIVE_OPENINGS = _SUBORDINATE_OPENINGS | frozenset(
    "der die das dem den deren dessen denen welche welcher welches welchem welchen".split()
)
_RESUMING = frozenset("der die das dann so".split())
SUBJUNCTIVE_REACH = 400  # characters from someone's words to a subjunctive sentence after them
# Finite verbs that make words after "sagte X," a clause, not X's role
_FINITE = _KONJUNKTIV | frozenset(
    "ist sind war waren hat haben hatte hatten wird werden wurde wurden est sont a ont était "
    "sera è sono ha hanno era sarà".split()
)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether one of the sorted, non-overlapping ``spans`` overlaps ``start:end``: a look-up
    (a scan of every span per sentence grew with the square of a long article)."""
    k = bisect_left(spans, (end,)) - 1
    return k >= 0 and spans[k][1] > start


def _subjunctive_main_verb(text: str, start: int, end: int) -> bool:
    """The sentence part ``text[start:end]`` has its main verb in the subjunctive: one of
    `_KONJUNKTIV` before any comma, colon or dash ("Man werde sich wehren", "Es gelte daher,
    ..."), not in a clause after one ("Sie befürchtet, das Projekt könne ..."), not opening it
    (an imperative: "Werde aktiv") and not after "als" / "ob" ("als sei nichts gewesen")."""
    parts = re.split(r"[,:;–—]| - ", text[start:end])
    # the main clause after a subordinate or relative clause opens with its verb: "Wenn jede
    # Gemeinde sage, bitte nicht bei uns, werde die Energiewende scheitern", "Aber eine
    # Gemeinde, die sich anschreie, habe schon verloren"
    subordinate = False
    for k, part in enumerate(parts):
        words = part.split() or [""]
        # (a pronoun may take the clause up again: "Wer so pfeife, der mache ...")
        verb = words[1] if words[0] in _RESUMING and len(words) > 1 else words[0]
        if subordinate and verb in _KONJUNKTIV:
            return True
        # (an article opens a sentence: "Die Entscheidung, sich ... zu konzentrieren, sei")
        openings = _RELATIVE_OPENINGS if k else _SUBORDINATE_OPENINGS
        subordinate = subordinate or words[0].lower() in openings
    words = parts[0].split()
    for k, word in enumerate(words[1:], 1):
        # not after "als" / "ob", nor beside "ich" ("Ich sehe das anders", "Das finde ich
        # gut": the indicative)
        after = words[k + 1].lower() if k + 1 < len(words) else ""
        if (
            word.strip(".!?…") in _KONJUNKTIV  # as written: "Die Suche" is a noun
            and words[k - 1].lower() not in ("als", "ob", "ich")
            and after != "ich"
        ):
            return True
    return False


def _subjunctive_continuations(
    text: str,
    sentences: list[list[tuple[int, int]]],
    regions: list[tuple[int, int]],
    utterances: list[_Utterance],
    titled: list[_Mention],
) -> list[_Utterance]:
    """German: a sentence in the subjunctive of reported speech, with no attribution of its
    own, goes on with the words of whoever spoke just before it ("„…“, betonte sie. Man
    werde sich mit allen Mitteln wehren." is hers): German marks reported speech by the
    verb's mood alone. A person introduced as a sentence's subject since then is who speaks
    ("Israels Energieministerin, Karine Elharrar, gab sich skeptisch: ... Das Projekt müsse
    ...")."""
    subjects = sorted(((m.start, m) for m in titled if m.opens_sentence), key=lambda pair: pair[0])
    spoken = sorted(
        ((u.spans[-1][1], u) for u in utterances if u.speaker is not None and not u.labelled),
        key=lambda pair: pair[0],
    )
    reported = sorted(
        span for u in utterances if u.voice == "reported" or u.turn for span in u.spans
    )  # an interview's turns are their speakers' already
    added: list[_Utterance] = []
    for para, paragraph in enumerate(sentences):
        for start, end in paragraph:
            pieces = [_strip(text, a, b, ".!?…") for a, b in _clause(text, [(start, end)], regions)]
            pieces = [(a, b) for a, b in pieces if a < b]
            if not pieces or any(_overlaps(reported, ps, pe) for ps, pe in pieces):
                continue
            if not _subjunctive_main_verb(text, pieces[0][0], pieces[0][1]):
                continue
            k = bisect_right(spoken, start, key=lambda pair: pair[0]) - 1
            last = added[-1] if added and added[-1].spans[-1][1] <= start else None
            before = spoken[k][1] if k >= 0 else None
            if last is None or (before is not None and before.spans[-1][1] > last.spans[-1][1]):
                last = before
            if last is None or start - last.spans[-1][1] > SUBJUNCTIVE_REACH:
                continue
            speaker = last.speaker
            k = bisect_left(subjects, start, key=lambda pair: pair[0]) - 1
            if k >= 0 and subjects[k][0] >= last.spans[-1][1]:
                speaker = subjects[k][1]  # introduced since the last words
            u = _Utterance("reported", pieces, para, para, None, (start, end), speaker=speaker)
            u.resolved = True
            added.append(u)
    return added


# Quoted words this long are one speaker's wherever the article quotes them again.
REPEATED_QUOTE_WORDS = 3


def _same_words(text: str, utterances: list[_Utterance]) -> None:
    """An unnamed quote whose words the article quotes elsewhere with a speaker is that
    speaker's: a headline's "“Za mało, za późno”" is the minister's the body quotes saying
    it ("“Za mało, za późno” – powiedział ... Mariusz Błaszczak")."""

    def key(u: _Utterance) -> str:
        return " ".join(re.findall(r"\w+", " ".join(text[s:e] for s, e in u.spans).lower()))

    spoken: dict[str, _Mention | None] = {}
    for u in utterances:
        if u.voice == "quoted" and u.speaker is not None and not u.labelled:
            words = key(u)
            if len(words.split()) >= REPEATED_QUOTE_WORDS:
                # two speakers for the same words: nobody is known to say them
                same = spoken.setdefault(words, u.speaker)
                if same is not None and same.text != u.speaker.text:
                    spoken[words] = None
    # ... or part of them ("Habeck: “Affrontiamo la più grande crisi del gas”" above "La
    # Germania affronta “la più grande crisi del gas”"), searched in the first spoken quotes
    # up to a budget of characters (each unnamed quote reads them all)
    longer, budget = [], MAX_CONTAINING_CHARS
    for w, m in spoken.items():
        if m is not None and budget > 0:
            longer.append((f" {w} ", m))
            budget -= len(w)
    for u in utterances:
        if u.voice == "quoted" and u.speaker is None:
            words = key(u)
            u.speaker = spoken.get(words)
            if u.speaker is None and words not in spoken and len(words.split()) >= 4:
                found = {m.text: m for w, m in longer if f" {words} " in w}
                if len(found) == 1:
                    u.speaker = next(iter(found.values()))


MAX_CONTAINING_CHARS = 20_000  # of spoken quotes searched for an unnamed quote's words


PARTICIPLE_LINK = 120  # characters between a speaker's quote and a participle's quote after it
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”»“«’]*\s+[^\W\d_]")


def _participle_continuations(text: str, utterances: list[_Utterance], g: _Grammar) -> None:
    """A quote that a speech participle joins to a speaker's quote in the same sentence is
    that speaker's: "Mme Berthier a promis de « se battre », estimant que « ... »", "...,"
    she said, adding that "...""."""
    for u, prev in zip(utterances[1:], utterances, strict=False):
        if (
            u.voice != "quoted"
            or u.speaker is not None
            or prev.voice != "quoted"
            or prev.speaker is None
            or prev.labelled
            or u.para != prev.last_para
        ):
            continue
        lo, hi = prev.spans[-1][1], u.spans[0][0]
        # (the quote's own full stop may lie inside its marks: "... contacts.” The WHO ...")
        if not 0 <= hi - lo <= PARTICIPLE_LINK or _SENTENCE_BREAK.search(text, lo - 3, hi):
            continue
        if any(g.participle_full.fullmatch(w.lower()) for w in _WORD.findall(text, lo, hi)):
            u.speaker, u.resolved = prev.speaker, True


def _may_inherit(u: _Utterance) -> bool:
    return not u.resolved and u.standalone


MAX_UNIFIED_NAMES = 1000  # distinct speakers' last names; news articles have a few dozen


def _unify_inflected(
    text: str, utterances: list[_Utterance], titled: list[_Mention], lang: str = "pl"
) -> None:
    """One person, one mention, where names decline: "według Tuska" is Donald Tusk's.

    Names whose last words differ only in a case ending (Tusk / Tuska, Лавров / Лаврова,
    Захарова / Захаровой) are one speaker; the mention kept is the one in the nominative as
    far as it can be told (the shortest last word), then the fullest (most words), then one
    whose first word is a first name in the nominative ("Greta Thunberg", not "Grety
    Thunberg"), then its shortest form anywhere in the text ("По словам Олега Панасенко" ->
    "Олег Панасенко").
    """

    def nominative(m: _Mention) -> bool:
        words = m.text.split()
        return len(words) >= 2 and first_name_gender(words[0], lang) is not None

    names = {id(u.speaker): u.speaker for u in utterances if u.speaker and u.speaker.kind == "name"}
    # Two last names are one only if equal or sharing their first four letters (`_same_name`):
    # comparing within those groups keeps this linear in the number of speakers.
    by_start: dict[str, list[_Mention]] = {}
    for m in list(names.values()) + titled:
        by_start.setdefault(m.text.split()[-1][:4], []).append(m)
    if len({m.text.split()[-1] for m in names.values()}) > MAX_UNIFIED_NAMES:
        return  # not an article but a list of names: left as written, in linear time
    chosen: dict[int, _Mention] = {}
    best_for: dict[str, _Mention] = {}  # the same last word always finds the same mention
    for u in utterances:
        if u.speaker is None or u.speaker.kind != "name":
            continue
        last = u.speaker.text.split()[-1]
        if last not in best_for:
            same = [m for m in by_start.get(last[:4], []) if _same_name(m.text.split()[-1], last)]
            best_for[last] = min(
                same,
                key=lambda m: (
                    len(m.text.split()[-1]),
                    -len(m.text.split()),
                    not nominative(m),
                    m.start,
                ),
            )
        best = best_for[last]
        if id(best) not in chosen:
            chosen[id(best)] = _shortest_form(text, best, lang)
        u.speaker = chosen[id(best)]


def _unify_last_names(
    utterances: list[_Utterance], titled: list[_Mention], g: _Grammar = _ENGLISH, text: str = ""
) -> None:
    """One person, one mention. A speaker named by a last name alone ("Orban",
    "Trump") is the full name the article gives it ("Viktor Orban", "Donald Trump"), when only
    one full name ends in it ("Joseph Tobin" and "Thomas Tobin" leave "Tobin" as it is).
    Full names are the speakers', the titled ones' and, in ``text``, any with a known first
    name ("Her rival, Tom Briggs, dismissed ..." for "Briggs said")."""
    full: dict[str, dict[str, _Mention]] = {}
    if g is not _ENGLISH:  # a name and a title run on into the next name there ("der
        # polnische Premierminister Mateusz Morawiecki Macron vorgeworfen"): two words only
        titled = [m for m in titled if len(m.text.split()) == 2]
    for m in [u.speaker for u in utterances if u.speaker is not None] + titled:
        words = m.text.split()
        if (
            m.kind == "name"
            and len(words) >= 2
            and not _organisation(m)
            and all(_given_name(w) for w in words[:-1])
        ):
            full.setdefault(words[-1], {}).setdefault(m.text, m)
    # last names alone that neither gives in full: a first name and the last name anywhere,
    # not inside a longer name ("Gerhard Ludwig Müller" is not "Ludwig Müller")
    alone = {
        u.speaker.text
        for u in utterances
        if u.speaker is not None
        and u.speaker.kind == "name"
        and " " not in u.speaker.text
        and u.speaker.text not in full
    }
    found: dict[str, dict[str, _Mention]] = {}
    headline_end = text.find("\n") if "\n" in text else len(text)
    if text and alone:
        lasts = "|".join(map(re.escape, sorted(alone)))
        for match in re.finditer(
            rf"(?<![\w’'.-])(?:({_UPPER}[^\W\d_]*\.?) )?({_UPPER}[^\W\d_]+) ({lasts})"
            r"(?![\w-])(?![’']\w{2})"  # (its possessive too: "Michael Horowitz’ report")
            # not a longer name's start ("George Washington University", "Donald Trump Jr.")
            rf"(?![ \t]+(?:{_UPPER}|(?:Jr|Sr|Jnr|Snr)\b))",
            text,
        ):
            before, first, last = match.groups()
            if first_name_gender(first, g.lang) is not None and not (
                before and _given_name(before)
            ):
                mention = _Mention("name", match.start(2), match.end(), f"{first} {last}")
                found.setdefault(last, {}).setdefault(mention.text, mention)
    for u in utterances:
        if u.speaker is None or u.speaker.kind != "name" or " " in u.speaker.text:
            continue
        names = full.get(u.speaker.text, {})
        if not names and text:  # ... written before the last name speaks: "Jordan said it
            # would close the border" is not the Michael Jordan of a later sentence (but a
            # headline's "Salvini: ..." is the body's Matteo Salvini)
            names = {
                name: m for name, m in found.get(u.speaker.text, {}).items()
                if m.start < u.speaker.start or u.speaker.start < headline_end
            }  # fmt: skip
        if len(names) == 1:
            u.speaker = next(iter(names.values()))


_NOT_GIVEN = frozenset(
    """
    and to of the mr mrs ms fr rev ig msgr mgr cardinal father sister brother outgoing former
    late parent trade
    """.split()
)


def _given_name(word: str) -> bool:
    """A word that may come before a last name in a full name ("Viktor", "W."), not a title
    ("President", "Fr."), a joining word ("and", "To") or a description ("Sixteen-year-old")."""
    bare = word.rstrip(".").lower()
    return (
        word[:1].isupper()
        and bare not in _TITLE_WORDS
        and bare not in _OPENERS
        and bare not in _NOT_GIVEN
        and word not in _STOP_CAPS
        and "year" not in bare
        and not any(c.isdigit() for c in word)
    )


def _shortest_form(text: str, mention: _Mention, lang: str = "pl") -> _Mention:
    """The same full name where the text writes it shortest, the nominative as a rule (of
    two forms as long, one opening with a known first name: "Greta", not "Grety")."""
    words = mention.text.split()
    if len(words) < 2:
        return mention

    def rank(found: str, start: int) -> tuple[int, bool, int]:
        return len(found), first_name_gender(found.split()[0], lang) is None, start

    parts = [re.escape(w[: max(3, len(w) - 3)]) + r"\w*" for w in words]
    best = mention
    for m in re.finditer(r"(?<![\w-])" + r"[ \u00a0]+".join(parts) + r"(?![\w-])", text):
        found = m.group().split()
        if (
            len(found) == len(words)
            and all(_same_name(a, b) for a, b in zip(found, words, strict=True))
            and rank(m.group(), m.start()) < rank(best.text, best.start)
        ):
            best = _Mention("name", m.start(), m.end(), m.group(), mention.title)
    return best


def _same_name(a: str, b: str) -> bool:
    """True when two surnames differ at most by a case ending (Kowalski / Kowalskiego)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    common = 0
    while common < len(short) and short[common] == long[common]:
        common += 1
    return common >= 4 and common >= len(short) - 1 and len(long) - common <= 3
