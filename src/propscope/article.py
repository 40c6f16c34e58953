"""Article value types: the text exactly as given, with paragraphs, sentences and debris as offsets.

Every offset is a Python string index (Unicode code point, start inclusive, end exclusive) into
``Article.text``, which is never stripped or normalised: a span found by a model can then be
highlighted in the original, written to SemEval files and scored without any re-alignment.

Paragraphs are lines, numbered like SemEval-2023 Task 3 numbers them: the 1-based line number
in the text, where a line that is empty or only whitespace is no paragraph but still counts.
A line ends at ``\\n``; a ``\\r`` before it is part of the line break (CRLF), not of the paragraph.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator

from propscope.first_names import first_name_gender

__all__ = ["Article", "Paragraph", "Sentence", "split_sentences"]

_BOM = "\ufeff"


class Paragraph(BaseModel):
    """One non-empty line of the text."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(ge=1, description="1-based line number (SemEval-2023 paragraph id)")
    start: int = Field(ge=0)
    end: int = Field(ge=0, description="exclusive; excludes the line break (\\n or \\r\\n)")
    is_title: bool = False
    is_debris: bool = False


class Sentence(BaseModel):
    """A sentence inside one paragraph; its bounds exclude surrounding whitespace."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    paragraph: int = Field(ge=1, description="index of the paragraph holding the sentence")


class Article(BaseModel):
    """A news article: verbatim text plus its segmentation as character offsets."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    source: str | None = None
    title: str | None = None
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    debris: tuple[tuple[int, int], ...] = ()
    metadata: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _offsets_inside_text(self) -> Article:
        """Reject segmentations that do not fit the text (e.g. an Article loaded from JSON)."""
        n = len(self.text)
        ranges = [(p.start, p.end) for p in self.paragraphs]
        ranges += [(s.start, s.end) for s in self.sentences] + list(self.debris)
        for start, end in ranges:
            if not 0 <= start <= end <= n:
                raise ValueError(f"range ({start}, {end}) lies outside the text ({n} characters)")
        starts = [p.start for p in self.paragraphs]
        if starts != sorted(starts):
            raise ValueError("paragraphs must be in text order")
        return self

    @classmethod
    def from_text(
        cls,
        text: str,
        id: str = "article",
        source: str | None = None,
        title_line: bool | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Article:
        """Segment ``text`` into paragraphs (lines), sentences and debris.

        ``title_line``: True makes the first non-empty line the title, False means there is no
        title, None (default) takes the first line that is no debris (a cookie notice, a menu
        or an ad label pasted above the headline is none) as title only when a blank line
        follows it, as in SemEval article files.

        A ``text`` that is not a str raises ``TypeError`` (as ``analyze()`` does), not an
        error from deep in the splitter.
        """
        if not isinstance(text, str):
            hint = (
                "; decode bytes first, e.g. data.decode('utf-8')"
                if isinstance(text, bytes | bytearray)
                else ""
            )
            shown = "None" if text is None else type(text).__name__
            raise TypeError(
                f"Article.from_text() takes the article's text as a str, not {shown}{hint}"
            )
        paragraphs = _split_paragraphs(text)
        lines = [text[s:e].strip().lstrip(_BOM).strip() for _, s, e in paragraphs]
        debris_line = [_is_debris_line(line) for line in lines]
        title_pos = _title_position(text, paragraphs, title_line, debris_line)
        debris_pos = _debris_positions(text, paragraphs, lines, debris_line, skip=title_pos)
        paras = tuple(
            Paragraph(
                index=index,
                start=start,
                end=end,
                is_title=i == title_pos,
                is_debris=i in debris_pos,
            )
            for i, (index, start, end) in enumerate(paragraphs)
        )
        sentences = tuple(
            Sentence(start=s, end=e, paragraph=p.index)
            for p in paras
            for s, e in split_sentences(text, p.start, p.end)
        )
        title = None
        if title_pos is not None:
            _, start, end = paragraphs[title_pos]
            title = text[start:end].strip().lstrip(_BOM).strip() or None
        return cls(
            id=id,
            text=text,
            source=source,
            title=title,
            paragraphs=paras,
            sentences=sentences,
            debris=_merge_debris(text, paras),
            metadata=dict(metadata or {}),
        )

    def analysable_paragraphs(self) -> list[Paragraph]:
        """Paragraphs a model should look at: everything except scraping debris."""
        return [p for p in self.paragraphs if not p.is_debris]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph containing character ``offset``; None on line breaks and empty lines."""
        i = bisect.bisect_right(self.paragraphs, offset, key=lambda p: p.start) - 1
        if i >= 0 and offset < self.paragraphs[i].end:
            return self.paragraphs[i]
        return None


# --- paragraphs and title ---------------------------------------------------------------------


def _split_paragraphs(text: str) -> list[tuple[int, int, int]]:
    """(line number, start, end) of every non-blank line; only ``\\n`` breaks lines.

    str.splitlines() is not used: it also breaks at \\x0b, \\x1c, \\u2028 ..., which would make
    line numbers disagree with SemEval's. A line counts as blank when ``line.strip()`` is empty,
    which is exactly SemEval-2023's rule (a line holding only a BOM is a paragraph there).
    """
    out: list[tuple[int, int, int]] = []
    pos = 0
    number = 0
    n = len(text)
    while pos <= n:
        number += 1
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        end = line_end - 1 if line_end > pos and text[line_end - 1] == "\r" else line_end
        start = pos + 1 if pos == 0 and text.startswith(_BOM) and end > 0 else pos
        if text[pos:end].strip():
            out.append((number, start, end))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _title_position(
    text: str,
    paragraphs: list[tuple[int, int, int]],
    title_line: bool | None,
    debris_line: list[bool],
) -> int | None:
    """Position (in ``paragraphs``) of the title line, or None.

    Unless the caller says the first line is the title, debris lines above it (``debris_line``
    of each paragraph) are skipped: with a cookie notice pasted first, the headline after it
    is the title. A text of nothing but debris lines keeps its first line as title.
    """
    if not paragraphs or title_line is False:
        return None
    if title_line:
        return 0
    first = next((i for i, debris in enumerate(debris_line) if not debris), 0)
    number = paragraphs[first][0]
    next_number = paragraphs[first + 1][0] if len(paragraphs) > first + 1 else None
    # A blank line follows the title when the next paragraph is at least two lines further
    # down, or when nothing follows but blank lines.
    if next_number is not None:
        return first if next_number > number + 1 else None
    rest = text[paragraphs[first][2] :]
    return first if rest.count("\n") >= 2 else None


# --- sentences -------------------------------------------------------------------------------

# Terminal punctuation (ellipses included), then closing quotes/brackets, then whitespace.
_TERMINAL = re.compile(r"(?:\.\.\.|[.!?…])+[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«„‚([¿¡"
# Titles and abbreviations after which a capitalised word is (nearly) never a new sentence.
_NEVER_ENDS = frozenset(
    """Mr Mrs Ms Messrs Mmes Mme Mlle Dr Drs Prof Profs Rev Revd Fr Sen Sens Rep Reps Gov Gen
    Gens Lt Col Maj Capt Cmdr Cdr Adm Brig Sgt Cpl Pvt Hon Pres Supt Insp Det Atty Amb Sec
    Treas Mt Ft Sr Sra Srta St Ste Cllr Dott Sig Ing Avv Herr Hr Fam Rt Mssrs Rs""".split()
)
# Abbreviations that end a sentence only when an ordinary sentence opener follows them.
_AMBIGUOUS = frozenset(
    """Jr Inc Ltd Co Corp Bros Ave Blvd Rd Dept Univ Assn Natl Intl Est etc al Jan Feb Mar Apr
    Jun Jul Aug Sep Sept Oct Nov Dec No Nos Nr Art Fig Vol Vols Ch Pt Pp pp p ff Op Ed
    Eds""".split()
)
# Lower-case abbreviations (several languages) that do not end sentences in news text.
_LOWER_ABBREVIATIONS = frozenset(
    """approx ca cf vs viz ibid tel incl excl min max bzw ggf usw vgl sog inkl evtl dt engl
    franz zit ok np tzw godz ul tys mln mld wg ss sig dott pag ecc тыс млн млрд руб им ул
    см""".split()
)
# Words that start sentences; after "U.S." or "Jr." only these signal a sentence break.
_SENTENCE_OPENERS = frozenset(
    """A An The This That These Those There Then Thus Therefore Still Yet But And Or So Now
    He She It They We I You His Her Its Their Our My Your Who What When Where Why How Which
    If In On At As After Before While Since Although Though However Meanwhile Instead Also
    Some Many Most Both All Each Every No Not None Such One Two Three Last Next Earlier Later
    According Despite Under""".split()
)
_INITIALISM = re.compile(r"(?:\w\.)+\w|\w")  # U.S, e.g, a.m, H.R, or a single initial


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of the sentences in ``text[start:end]``, whitespace excluded.

    A rule-based splitter tuned for news: it keeps "Mr. Smith", "U.S. Senator", "John F.
    Kennedy", "No. 5", "3.5" and 'said "no." he' together, and breaks after closing quotes
    ('."', '.”') and ellipses when a capitalised word follows.
    """
    end = len(text) if end is None else end
    chunk_start = start
    for match in _TERMINAL.finditer(text, start, end):
        cut = match.end()
        if _is_break(text, chunk_start, match.start(), match.group(), cut, end):
            yield from _trimmed(text, chunk_start, cut)
            chunk_start = cut
    yield from _trimmed(text, chunk_start, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and (text[start].isspace() or text[start] == _BOM):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _is_break(text: str, chunk_start: int, punct_pos: int, punct: str, cut: int, end: int) -> bool:
    """Decide whether the terminal punctuation at ``punct_pos`` ends a sentence."""
    j = cut
    while j < end and text[j].isspace():
        j += 1
    while j < end and text[j] in _OPENERS:
        j += 1
    if j >= end:
        return False  # only whitespace or openers follow: the paragraph end closes it anyway
    first = text[j]
    if first in "#@•*":
        pass  # hashtags, handles and bullets start a new unit like a capital letter does
    elif not first.isalnum() or first.islower():
        return False
    if not punct.startswith(".") or punct.startswith("..."):
        return True  # "!", "?", ellipsis followed by a capital or digit
    word_start = punct_pos
    while word_start > chunk_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:punct_pos].lstrip(_OPENERS + "—–-")
    if not word:
        return True
    next_word = re.match(r"[\w’']+", text[j:end])
    next_word_text = next_word.group() if next_word else ""
    if word in _NEVER_ENDS or word.lower() in _LOWER_ABBREVIATIONS:
        return False
    if word in _AMBIGUOUS:
        return next_word_text in _SENTENCE_OPENERS
    if _INITIALISM.fullmatch(word) and not word.isdigit():
        if "." in word and word.lower() not in ("a.m", "p.m") and not word.isupper():
            return False  # e.g., i.e., z.B., m.in. do not end sentences in news text
        return next_word_text in _SENTENCE_OPENERS
    return True


# --- debris ----------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE
# Alone on a line a teaser phrase heads a link list; before a separator it heads one headline.
_TEASER_PHRASE = r"(?:read (?:more|also|next)|also read|see also)"
# The other languages' "read also" / "see also" (fr, de, it, pl, ru). Alone on its line such a
# header is debris but the headline after it stays, as the training data annotates propaganda
# in such headlines, unless the header opens a box of nothing but links at the end of the
# page. "Mehr zum Thema – <headline>" is no teaser: its headlines hold 3 gold spans in the
# German training data, so only the bare "Mehr zum Thema" is debris.
_FOREIGN_TEASER_PHRASE = (
    r"(?:(?:[àa] )?lire (?:aussi|également)|voir aussi|lesen sie auch|siehe auch|leggi anche"
    r"|vedi anche|(?:prze)?czytaj (?:też|także|również)|zobacz (?:też|także|również)"
    r"|читайте (?:также|тоже)|смотрите также|см\. также)"
)
# Their "we recommend" headers ("Polecamy:", "Рекомендуем"), which head such links too
_RECOMMENDS = (
    r"(?:polecamy(?: (?:również|także|też))?|polecane(?: artykuły)?"
    r"|рекомендуем(?: (?:также|прочитать|почитать))?|ti consigliamo(?: anche)?|consigliati per te"
    r"|nos recommandations|recommandés? pour vous|unsere empfehlungen?|empfehlungen der redaktion)"
)
_FOREIGN_TEASER_HEADER = re.compile(
    rf"(?:{_FOREIGN_TEASER_PHRASE}|{_RECOMMENDS}|mehr zum thema|video su questo argomento)"
    r"\s*[:.]?",
    _FLAGS,
)
# Headers after which everything is link lists or widgets.
_TAIL_HEADER = re.compile(
    r"(?:you (?:might|may) (?:also )?like|related(?: articles?| stories| posts| content| news"
    r"| coverage| reading| links| topics)?|more (?:stories|articles) you might like"
    r"|recommended for you|trending now|most (?:read|popular|viewed)|popular (?:posts|stories)"
    # the same boxes in French, German, Italian, Polish and Russian
    r"|sur le même sujet|dans la même rubrique|articles? (?:similaires|liés|connexes)"
    r"|les plus lus|das könnte sie auch interessieren|(?:weitere|ähnliche|verwandte) "
    r"(?:artikel|themen|beiträge|nachrichten)|meistgelesen|articoli correlati"
    r"|notizie correlate|(?:ti )?potrebbe(?: anche)? interessar(?:ti|e)(?: anche)?|i più letti"
    r"|(?:powiązane|podobne) artykuły|najczęściej czytane|похожие (?:новости|статьи|материалы"
    r"|публикации)|(?:материалы|новости) по теме|по теме|самое (?:читаемое|популярное))"
    r"\s*[:.]?",
    _FLAGS,
)
# Headers after which short headline-like lines are links, until the next line of prose. "More
# from/on/about" needs a name after it: "More from the Washington Times", not "More about that".
_LINK_LIST_HEADER = re.compile(
    rf"(?:{_TEASER_PHRASE}|recommended(?: reading| stories| articles)?|we recommend"
    r"|more (?:stories|news)"
    r"|sponsored(?: content| links| stories)?|further reading|latest (?:news|stories|videos))"
    r"\s*[:.]?"
    r"|more (?:from|on|about)\s+(?:the\s+)?(?-i:[A-Z0-9])[^.:!?]{0,60}:?",
    _FLAGS,
)
# A teaser with its headline on the same line; the headline is checked by `_is_headline`.
# Without a separator ("LEGGI ANCHE Caro energia, le misure del governo", "Czytaj także
# Prezydent zapowiada weto") the headline must start with a capital: "Zobacz także, jak rząd
# kłamie" and "À lire aussi les rapports, on comprend ..." are prose.
_TEASER = re.compile(
    rf"(?:{_TEASER_PHRASE}|{_FOREIGN_TEASER_PHRASE}|more from|related|trending)"
    r"\s*[:|»>–—-]\s*(?P<headline>.+)"
    rf"|(?:{_TEASER_PHRASE}|{_FOREIGN_TEASER_PHRASE})\s+"
    r"(?P<bare>(?-i:[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻА-ЯЁ0-9\"“„«‘']).*)"
    r"|read more (?:here|at|on|about)\b(?:[^.]{0,120}|.{0,120}\.(?:com|org|net)):?"
    # "Lire la suite de l'article sur parismatch.com"
    r"|(?:lire la suite(?: de l[’']article)? sur|weiterlesen (?:auf|bei)|continua a leggere su"
    r"|czytaj dalej na|читать (?:далее|полностью) на)\s+(?:[^.]{0,120}|.{0,120}\.[a-z]{2,3})",
    _FLAGS,
)
# Share / subscribe / follow / sign-up / click-here calls, which are debris only when they name
# something to subscribe to or a place to go (`_CALL_OBJECT`) or are a few words long.
_CALL_TO_ACTION = re.compile(
    r"(?:share (?:this|on|via)\b|subscribe|sign up|sign-up|signup|follow (?:us|me)\b"
    r"|follow (?:on|at) |follow @|like us on|join us on|click (?:here|below)|tap here"
    r"|download (?:our|the) app|get (?:our|the) newsletter"
    # the same calls in French, German, Italian, Polish and Russian
    r"|inscrivez-vous|abonnez-vous|suivez-nous|rejoignez-nous|aimez-nous|abonnieren sie"
    r"|folgen sie uns|liken sie uns|melden sie sich|iscriviti|iscrivetevi|seguici|seguiteci"
    r"|zapisz się|zasubskrybuj|subskrybuj|obserwuj nas|polub nas|dołącz do nas|подпишитесь"
    r"|подписывайтесь|следите за нами"
    r"|присоединяйтесь)(?P<rest>.{0,200})",
    _FLAGS,
)
# "Join us on Gab", "Follow us on Truth Social": a name after "us on", not "Join us on the
# streets" or "Join us on Saturday".
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_CALL_OBJECT = re.compile(
    r"\b(?:newsletter\w*|inbox|e-?mails?|updates|alerts|channel|podcasts?|rss|app"
    rf"|us on\s+(?!{_WEEKDAY}\b)(?-i:[A-Z@])"
    r"|subscribers?|membership|notifications|here (?:to|for)|(?:this|the) (?:article|story"
    r"|post|page|video|interview|podcast)|(?:facebook|twitter|youtube|instagram|telegram)\w*"
    r"|gab|gettr|parler|rumble|tiktok|mewe|whatsapp|linkedin|reddit"
    r"|thank you for (?:signing up|subscribing)"
    r"|chaîne|canal|kanal|canale|kanał\w*|канал\w*|рассылк\w*|lettre d[’']information"
    r"|infolettre|notifiche|powiadomie\w*|уведомлени\w*|вконтакте|телеграм\w*)"
    r"\b|@\w",
    _FLAGS,
)
# A call whose object is someone else's ("Subscribe to his Telegram channel and you will see a
# different war") is prose about that person, not the page's own call.
_THIRD_PARTY_OBJECT = re.compile(
    r"\W*(?:(?:to|on|for|at|à|a|auf|su|na|на)\s+)?(?:his|her|their|its|son|sa|ses|leurs?"
    r"|seine[mnrs]?|suo|sua|suoi|sue|jego|jej|ich|его|её|ее|их)\b",
    _FLAGS,
)
# What may follow a call to action for it to be a bare call ("Subscribe today!", "Follow us",
# "Sign up on Gab"): filler words, or a name after to/for/on/at/via. Any other word makes it
# a sentence that opens like one: "Follow us into battle!", "Subscribe or perish!".
_BARE_CALL_REST = re.compile(
    r"(?:[\s|:!,–—-]++|(?:now|today|here|below|free|it'?s free|us|me|more|and|again)\b"
    r"|(?:to|for|on|at|via|with)\s++(?:(?:our|the)\s++)?(?-i:[A-Z0-9@#])\S*+"
    # "Sign up for free", "Follow us for more", "Subscribe for just $1"
    r"|(?:for|with)\s++(?:free|more|updates|alerts|(?:just\s++|only\s++)?[$€£]\S*+)\b)*+",
    _FLAGS,
)
# A sentence reporting speech ("..., the critics said.") is prose, whatever its first words.
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|say|told|urged|warned|shouted|claimed|argued|insisted|declared|added"
    r"|explained|stressed|according to)\b",
    _FLAGS,
)
# The rest of a syndication or copyright notice after its opening words: names of people,
# outlets and sites (capitalised words, numbers, domains, URLs), the small words between
# them, the words of such notices, and separators; nothing else. A lower-case word of prose
# ("Originally published in 1925, Mein Kampf became the bible...") makes it a sentence.
_NAME_WORD = (
    r"https?://\S++|[\w-]++(?:\.[\w-]++)++/?\S*+"  # a URL, a domain
    r"|(?-i:[A-Z0-9À-ÖØ-Þ])[\w.'’&+/@-]*+"  # a capitalised word, a number
)
_NOTICE_WORDS = (
    r"(?:of|the|and|for|in|on|at|by|from|via|as|a|an|to|de|du|des|la|le|del|della|di|da|van"
    r"|von|der|den|y|und|with|permission|under|creative|commons|licen[cs]ed?|web|website|site"
    r"|blog|newsletter|magazine|column|edition|original|article|report|story|post|piece"
    r"|author|authors|its|his|her|their|our|republished|reprinted|posted|published|used|all"
    r"|rights|reserved|read|here|see|more|visit|distributed|syndicated|inc|ltd|llc)\b"
)
# the Associated Press's notice (tried before its capitalised "This" is taken for a name)
_AP_NOTICE = (
    r"this material may not be published,? broadcast,? rewritten,? or redistributed"
    r"(?: in whole or in part)?(?: without (?:the )?(?:express )?(?:written )?permission)?"
)
_NOTICE_SEPARATORS = r"[\s,;:.()\[\]\"“”'‘’«»–—|/&-]++"
_NOTICE_TAIL = rf"(?:{_NOTICE_SEPARATORS}|{_AP_NOTICE}|{_NAME_WORD}|{_NOTICE_WORDS})*+"
# "All rights reserved" in the six languages, and the words of such a line
_RIGHTS_RESERVED = (
    r"(?:all rights reserved|tous droits réservés|alle rechte vorbehalten"
    r"|tutti i diritti (?:sono )?riservati|riproduzione riservata|wszelkie prawa zastrzeżone"
    r"|все права защищены)"
)
_RIGHTS_WORDS = (
    r"(?:©|\(c\)|(?:copyright|tous|droits|réservés|alle|rechte|vorbehalten|tutti|diritti|sono"
    r"|riservati|riproduzione|riservata|wszelkie|prawa|zastrzeżone|все|права|защищены)\b)"
)
# Cookie notices open with one of these, and are one only when they speak of the site, its
# use, consent or settings: "We use cookies, not sermons, to win people over" is prose.
_COOKIE_NOTICE = (
    r"(?:we use cookies|this (?:web)?site uses cookies|nous utilisons des cookies"
    r"|ce site (?:web )?utilise des cookies|wir (?:verwenden|nutzen) cookies"
    r"|diese (?:website|webseite|seite) (?:verwendet|nutzt) cookies"
    r"|(?:utilizziamo|usiamo) (?:i )?cookie"
    r"|questo sito (?:web )?(?:o gli strumenti terzi da questo utilizzati )?(?:utilizza|usa"
    r"|si avval(?:e|gono) d[ie]|fa(?:nno)? uso d[ie]) (?:i )?cookie|(?:używamy|wykorzystujemy) "
    r"(?:plików )?cookies?|(?:ta|nasza) strona (?:internetowa )?(?:używa|wykorzystuje) "
    r"(?:plików )?cookies?|korzystamy z (?:plików )?cookies?|szanujemy (?:twoją|państwa) "
    r"prywatność|мы используем (?:файлы )?cookie|(?:этот|наш) сайт использует "
    r"(?:файлы )?cookie)"
)
_COOKIE_NOTICE_WORD = (
    r"\b(?:experience|(?:web)?site|brows|consent|privacy|polic|accept|agree|preferences|setting"
    r"|personali[sz]|analy[sz]|traffic|advertis|ads\b|services|content|continu|learn more"
    r"|expérience|naviga|données|politique|paramètr|personnalis|nutzererlebnis|webseite"
    r"|nutzung|akzept|zustimm|einstellung|datenschutz|esperienza|sito|accett|consenso"
    r"|impostazion|stron|przeglądar|zgod|akcept|prywatn|ustawie|kontynu|urządzen|сайт|соглаш"
    r"|соглас|приня|конфиденциальн|настро|работ)"
)
# Notices that open by asking consent for a purpose ("Accetta i cookie per continuare la
# navigazione"; "Accetta i cookie o rinuncia alla privacy: ..." is prose), the consent
# frameworks' "We and our partners store and/or access information on a device, such as
# cookies", and "By continuing to browse, you accept cookies" of the other languages: each a
# notice only with a cookie in it ("Continuando a navigare a vista, il governo..." is prose).
_CONSENT_NOTICE = (
    r"(?:(?:accept (?:all )?cookies|accepte[rz] (?:tous )?les cookies|akzeptieren sie (?:alle )?"
    r"cookies|accett[ai] (?:tutti )?i cookie|(?:za)?akceptuj (?:wszystkie )?(?:pliki )?cookies?"
    r"|примите (?:файлы )?cookie),?\s+(?:to|pour|um|per|aby|żeby|чтобы)\s"
    r"|we and our (?:\d+ )?partners|nous et nos (?:\d+ )?partenaires"
    r"|wir und unsere (?:\d+ )?partner|noi e (?:i nostri (?:\d+ )?partner|terze parti selezionate)"
    r"|my i nasi (?:\d+ )?partnerzy|мы и наши (?:\d+ )?партн[её]ры"
    r"|en (?:poursuivant|continuant) (?:votre |la )?navigation|en (?:naviguant sur|utilisant)"
    r" (?:ce|notre) site|wenn sie (?:die|diese|unsere) (?:website|webseite|seite) weiter"
    r"|durch die (?:weitere )?nutzung (?:der|dieser|unserer) (?:website|webseite|seite)"
    r"|(?:proseguendo|continuando) (?:(?:con |nel)?la navigazione|a navigare)"
    r"|(?:dalsze )?korzysta(?:jąc|nie) ze? (?:naszej |tej )?(?:strony|serwisu|witryny)"
    r"|продолжая (?:использовать|пользоваться|просмотр)"
    r"|(?:используя|оставаясь на) (?:наш |этом |нашем )?сайт[ае]?)"
)
# Consent buttons and privacy links of the six languages, alone on their line ("Accetta tutti i
# cookie", "Tout accepter", "Akceptuję"); a button has no full stop ("Zgadzam się." answers).
_CONSENT_BUTTON = (
    r"(?:accept(?: all)?(?: cookies)?|(?:allow|reject|decline|refuse) (?:all(?: cookies)?|cookies)"
    r"|i (?:accept|agree)|(?:accept|agree) (?:and|&) (?:continue|close)"
    r"|manage (?:cookies|preferences|options|cookie settings)"
    r"|(?:tout|tous) (?:accepter|refuser)|(?:accepter|refuser)(?: tout| (?:tous )?les cookies"
    r"| et (?:fermer|continuer))?|continuer sans accepter|j[’']accepte"
    r"|(?:gérer|paramétrer|personnaliser)(?: les| mes)? (?:cookies|choix|préférences|paramètres)"
    r"|(?:alle |cookies |alle cookies )?(?:akzeptieren|ablehnen|zulassen)(?: und (?:weiter"
    r"|schließen))?|zustimmen(?: und weiter)?|ich stimme zu|einverstanden"
    r"|(?:cookie|datenschutz)-?einstellungen(?: verwalten)?"
    r"|(?:accett[ao]|rifiut[ao])(?: tutt[io](?: i cookie)?| i cookie| e (?:chiudi|continua))?"
    r"|continua senza accettare|impostazioni (?:dei )?cookie"
    r"|(?:gestisci|personalizza) (?:i cookie|le (?:preferenze|impostazioni|opzioni))"
    r"|(?:za)?akceptuj[ęe]?(?: wszystk(?:ie|o))?(?: i (?:przejdź|zamknij)(?: do serwisu)?)?"
    r"|zgadzam się|przejdź do serwisu|odrzuć(?: wszystk(?:ie|o))?"
    r"|(?:ustawienia|zarządzaj) (?:plik(?:ów|ami) )?cookies?"
    r"|принять(?: все)?(?: (?:файлы )?cookie)?|принимаю|(?:я )?соглас(?:ен|на)"
    r"|отклонить(?: все)?|настройки (?:файлов )?cookie"
    # "Leggi l'informativa", "Politique de confidentialité", "Datenschutzerklärung"
    r"|(?:(?:read|see|leggi|lire|lesen sie|przeczytaj|zobacz|читать) )?(?:(?:our|the|notre|la"
    r"|la nostra|unsere|die|naszą) )?(?:privacy policy|politique de confidentialité"
    r"|politique (?:relative aux|des) cookies|datenschutzerklärung|datenschutzhinweise"
    r"|l[’']informativa(?: (?:estesa|completa))?|informativa (?:(?:sulla )?privacy|(?:sui )?"
    r"cookie)|polityk[aęi] (?:prywatności|(?:plików )?cookies?)|политик[аиу] "
    r"конфиденциальности))"
)
# Ad labels and continue-reading buttons of the six languages, alone on their line
_ADVERTISEMENT = (
    r"(?:advertisements?|ad|sponsored(?: content| links)?|promoted|publicité|contenu sponsorisé"
    r"|anzeige|werbung|gesponsert|pubblicità|(?:contenuto )?sponsorizzato|reklama"
    r"|(?:artykuł|materiał) sponsorowany|реклама|партн[её]рский материал|на правах рекламы)"
)
_CONTINUE_READING = (
    r"(?:continue reading(?: the main story| below)?|lire la suite|lire plus|weiterlesen"
    r"|mehr lesen|continua a leggere|leggi (?:tutto|di più)|czytaj dalej|czytaj więcej"
    r"|читать (?:далее|дальше|полностью)|подробнее)"
)
# Share buttons of the other languages ("Partager sur Facebook", "Auf Facebook teilen")
_NETWORK = (
    r"(?:facebook\w*|twitter\w*|x|whatsapp|telegram\w*|linkedin|e-?mail|messenger|pinterest"
    r"|reddit|vk|вконтакте|одноклассниках|телеграм\w*|фейсбук\w*|твиттер\w*)"
)
_SHARED_THING = (
    r"(?:cet article|cette (?:page|vidéo)|l[’']article|(?:diese[nrs]? |den )?(?:artikel|beitrag"
    r"|seite)|questo articolo|l[’']articolo|(?:ten |tym )?artykuł(?:em)?|стать[её]й|новостью"
    r"|ссылкой)"
)
# Comment counters and prompts ("Comments (128)", "Kommentare", "Leave a comment")
_COMMENTS = (
    r"(?:comments|commentaires|kommentare|commenti|komentarze|комментарии)(?:\s*\(\d+\)|\s+\d+)?"
    r"|\d+\s+(?:comments?|commentaires?|kommentare?|commenti|commento|komentarz[ey]?"
    r"|комментари[йяев]?)"
    r"|(?:join the (?:conversation|discussion)\W*)?(?:leave|post|add|write) (?:a|your) comments?"
    r"(?: below)?|join the (?:conversation|discussion)|laiss(?:er|ez) (?:un|votre) commentaire"
    r"|(?:jetzt )?kommentieren|kommentar (?:schreiben|verfassen)"
    r"|(?:bitte )?melden sie sich an,? um (?:zu kommentieren|einen kommentar zu schreiben)"
    r"|(?:lascia|scrivi|aggiungi) un commento|commenta|commenter|dodaj komentarz|skomentuj"
    r"|(?:про)?комментировать"
    r"|(?:оставить|оставьте|написать|добавить) комментарий"
    r"|чтобы (?:оставить|написать|добавить) комментарий,? (?:войдите|авторизуйтесь|"
    r"зарегистрируйтесь)(?: на сайте| в систему)?"
)
# Photo agencies, and a photographer credited with one ("dpa/Michael Kappeler",
# "Michael Kappeler/dpa"), and the other languages' photo credits: a name or an agency after
# "Foto:", names after "Foto", and no sentence ("Foto: la polizia ha arrestato tre persone.")
_PHOTO_AGENCY = (
    r"(?:ansa|lapresse|agf|ipa|imagoeconomica|dpa|picture alliance|imago|epa|afp|ap|reuters"
    r"|getty(?: images)?|pap|east news|agencja gazeta|риа новости|ria novosti|тасс|tass"
    r"|спутник|sputnik|коммерсантъ|kommersant)"
)
_CREDITED_AGENCY = rf"{_PHOTO_AGENCY}\s*/\s*[^()/.!?]{{1,60}}|[^()/.!?]{{1,60}}/\s*{_PHOTO_AGENCY}"
_CREDIT_NAME = r"(?:(?-i:[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻА-ЯЁ])[\w.'’&-]*|" + _PHOTO_AGENCY + r")"
# A photographer's name: two capitalised words ("Fabio Frustaci", "Михаил Климентьев")
_PHOTOGRAPHER = r"(?-i:[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻА-ЯЁ][\w'’-]+\s+[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻА-ЯЁ][\w'’-]+)"
_PHOTO_CREDIT = (
    r"(?:foto|fot\.|фото|zdjęcie)(?:\s*:\s*(?:(?-i:[^\sa-zà-ÿąćęłńśźżа-яё])|"
    rf"{_PHOTO_AGENCY}\b)[^.!?]{{0,80}}"
    rf"|\s+(?:di\s+)?{_CREDIT_NAME}(?:\s*[/,&]?\s*{_CREDIT_NAME}){{0,5}})"
)
# Paywall prompts of the six languages, alone on their line: a badge ("Abonnés", "Nur für
# Abonnenten"), the notice ("Cet article est réservé aux abonnés. Il vous reste 78 % à
# découvrir."), the log-in question ("Déjà abonné ? Se connecter"), the buttons, and the offer
# with its price ("Abonnez-vous pour 1 € le premier mois, sans engagement."). A sentence about
# subscribers ("Les abonnés paient 10 € par mois.") is none of these.
_PAYWALL_BADGE = (
    r"(?:(?:this|the) (?:article|story|content|page) is )?(?:(?:only |exclusively )?(?:available"
    r"|reserved|open) )?(?:only |exclusively )?(?:to|for) (?:our )?(?:paying )?subscribers"
    r"(?: only)?|subscribers?[- ]only(?: content| article| story)?|exclusive (?:to|for) subscribers"
    r"|(?:(?:cet |l[’'])article (?:est )?|(?:ce |le )?contenu (?:est )?|la suite (?:est )?"
    r"|lecture |article )?(?:(?:réservée?|exclusivement|uniquement) )*(?:aux|à nos|pour les)"
    r" abonnés|(?:exclusivité |exclusif )?abonnés?"
    r"|(?:(?:dieser |der )?(?:artikel|beitrag|inhalt) (?:ist )?)?(?:nur|exklusiv|ausschließlich)"
    r" für (?:abonnenten|abonnentinnen und abonnenten|abonnent\*innen)(?: (?:verfügbar"
    r"|zugänglich|lesbar|sichtbar))?"
    r"|(?:(?:questo |l[’'])articolo (?:è )?|(?:il )?contenuto (?:è )?)?(?:riservato|dedicato"
    r"|disponibile|accessibile)(?: solo| esclusivamente)? (?:agli|per gli|ai) abbonati"
    r"|(?:solo |esclusiva )?per (?:gli )?abbonati"
    r"|(?:(?:ten |cały )?(?:artykuł|materiał|tekst) (?:jest )?|treść (?:jest )?)?(?:dostępn[ya] )?"
    r"(?:tylko|wyłącznie) dla (?:subskrybentów|prenumeratorów|abonentów)"
    r"|(?:(?:этот |данный )?(?:материал|текст) (?:доступен )?|(?:эта )?статья (?:доступна )?)?"
    r"(?:только|исключительно) (?:для подписчиков|подписчикам)"
    r"|(?:(?:материал|статья) )?(?:доступ(?:ен|на|но) )?(?:только )?по подписке"
)
_PAYWALL_LEFT = (  # what is left to read: "Il vous reste 78 % à découvrir."
    r"il vous reste \d+ ?% (?:de cet article )?à (?:lire|découvrir)"
    r"|you(?:'ve| have) (?:reached|used)(?: all)? (?:your|the) (?:limit of )?(?:\d+ |monthly )?"
    r"free (?:articles?|stories)(?: limit)?(?: for this month)?"
)
_LOG_IN = (
    r"(?:log ?in|sign in|se connecter|connectez-vous|je me connecte|connexion|(?:jetzt |hier )?"
    r"(?:anmelden|einloggen)|accedi|zaloguj(?: się)?|войти|войдите)"
)
_ALREADY_SUBSCRIBED = (
    r"(?:already (?:a subscriber|subscribed|have an account)|(?:vous êtes )?déjà abonnée?"
    r"|(?:sie sind )?(?:bereits|schon) (?:abonnent(?:in)?|abonniert)|(?:sei )?già abbonato"
    r"|masz już (?:subskrypcję|prenumeratę|konto|dostęp)|jesteś (?:już )?subskrybentem"
    r"|уже (?:есть подписка|подписаны|подписчик|оформили подписку))"
)
_SUBSCRIBE = (
    r"(?:subscribe(?: now)?|abonnez-vous|je m[’']abonne|s[’']abonner|(?:jetzt )?abonnieren"
    r"|abbonati(?: ora| subito)?|(?:za)?subskrybuj|(?:kup|wykup) (?:subskrypcję|prenumeratę"
    r"|dostęp)|подпишитесь|оформи(?:ть|те) подписку|подписаться)"
)
_PAYWALL = (
    rf"(?:{_PAYWALL_BADGE})(?:\W+(?:{_PAYWALL_LEFT}))?\W*|(?:{_PAYWALL_LEFT})\W*"
    rf"|{_ALREADY_SUBSCRIBED}\s*[?!.]?\s*(?:{_LOG_IN})?\W*|(?:{_LOG_IN}|{_SUBSCRIBE})\W*"
    # "Subscribe to continue reading", "Abbonati per continuare a leggere"
    rf"|(?:{_SUBSCRIBE}|{_LOG_IN}) (?:to|pour|um|per|aby|żeby|чтобы) (?:continue|keep|read"
    r"|continuer|lire|weiterzulesen|continuare|leggere|czytać|przeczytać|kontynuować|продолжить"
    r"|читать|прочитать)\b[^.!?]{0,60}\W*"
    # the offer and its price, to the end of its sentence ("Abonnez-vous pour 1 € par mois.
    # Le gouvernement vous ment." is prose after the offer)
    rf"|{_SUBSCRIBE}\b[^.!?\d]{{0,40}}(?:\d+(?:[.,]\d+)?\s*(?:€|\$|£|zł|руб\w*|₽|euros?\b)"
    r"|[€$£]\s*\d+(?:[.,]\d+)?)(?:[^.!?]|\.(?=\d)){0,120}\W*"
)
# Bylines and datelines alone on their line ("Par Pierre Martin (avec AFP) — Publié le
# 29/02/2024 à 13h20", "Von Katrin Müller · 29.01.2025, 18:12 Uhr", "di Marco Rossi — 19
# marzo 2025 | 20:15", "Autor: Jan Kowalski 11.03.2025, 14:35 Aktualizacja: 11.03.2025,
# 16:02"), and a bare date or time ("16 мая 2025, 15:30", "17:30"): names, dates, times and
# the words of a dateline, nothing else ("By Friday the army had left" is prose).
_MONTH = (
    r"(?:jan(?:uary|vier|uar|\.)?|jänner|feb(?:ruary|ruar|\.)?|février|fevrier|mar(?:ch|s|\.)?"
    r"|märz|apr(?:il|ile|\.)?|avril|may|mai|june?|juin|juni|july?|juillet|juli|aug(?:ust|\.)?"
    r"|août|sept?(?:ember|\.)?|septembre|oct(?:ober|\.)?|octobre|oktober|nov(?:ember|\.)?"
    r"|novembre|dec(?:ember|\.)?|décembre|dezember|gennaio|febbraio|marzo|maggio|giugno"
    r"|luglio|agosto|settembre|ottobre|dicembre|stycznia|lutego|marca|kwietnia|maja|czerwca"
    r"|lipca|sierpnia|września|października|listopada|grudnia|января|февраля|марта|апреля|мая"
    r"|июня|июля|августа|сентября|октября|ноября|декабря)"
)
_WEEKDAY_NAME = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunedì|martedì"
    r"|mercoledì|giovedì|venerdì|sabato|domenica|poniedziałek|wtorek|środa|czwartek|piątek"
    r"|sobota|niedziela|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)"
)
_DAY_DATE = (
    rf"(?:{_WEEKDAY_NAME},?\s+)?(?:\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d\d)|\d{{4}}-\d\d-\d\d"
    rf"|\d{{1,2}}(?:\.|er)?\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    r"(?:\s*(?:г\.|года|r\.|roku))?"
)
_CLOCK = (
    r"(?:[01]?\d|2[0-3])[:h][0-5]\d(?:\s*(?:uhr|am|pm|a\.m\.|p\.m\.|gmt|utc|cet|cest|mez|msk|мск"
    r"|et|bst|edt|est)\b\.?)?"
)
_STAMP_WORD = (
    r"(?:published|updated|last updated|posted|publié|mis à jour|modifié|veröffentlicht"
    r"|aktualisiert|erstellt|stand|pubblicato|aggiornato|ultimo aggiornamento|opublikowano"
    r"|aktualizacja|zaktualizowano|опубликовано|обновлено|дата публикации|le|am|um|il|ore|alle"
    r"|on|at|à|o|godz\.|в|и|and|et|und|e|i)"
)
_STAMP = rf"(?:{_DAY_DATE}|{_CLOCK}|{_STAMP_WORD}\b|[\s,;:|·•/–—-])"
_DATELINE = rf"(?:{_STAMP_WORD}\b[\s:]*){{0,3}}(?:{_DAY_DATE}|{_CLOCK})(?:{_STAMP})*+"
# A name of two to four capitalised words, none an article, a pronoun or a day ("By The
# Numbers", "By Friday" are headings)
_NAME_WORD_OF_BYLINE = (
    r"(?!(?:the|a|an|and|or|of|for|in|on|with|this|that|these|those|our|my|your|his|her|their"
    r"|its|all|some|der|die|das|den|dem|des|ein|eine|le|la|les|un|une|il|lo|gli|uno|una|ten|ta"
    r"|to|этот|эта|это"
    rf"|{_WEEKDAY_NAME}|january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b)(?-i:[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻА-ЯЁ])[\w'’.-]*"
)
_BYLINE_NAME = (
    rf"{_NAME_WORD_OF_BYLINE}(?:\s+(?:(?:de|di|da|del|della|van|von|der|du|le|la)\s+)?"
    rf"{_NAME_WORD_OF_BYLINE}){{1,3}}"
)
# A byline needs a mark beside its names: a label ("Autor:"), an agency, a dateline, or a
# known first name ("By Royal Appointment", "Par Monts Et Vaux" are headings); see `_is_byline`.
_BYLINE = re.compile(
    r"(?:by|par|von|di|da|przez|(?P<label>автор(?:ы)?:?|(?:author|autor(?:ka|zy)?|texte?"
    r"|testo|tekst|текст)\s*:))\s*"
    rf"(?P<first>{_NAME_WORD_OF_BYLINE})(?:\s+(?:(?:de|di|da|del|della|van|von|der|du|le|la)\s+)?"
    rf"{_NAME_WORD_OF_BYLINE}){{1,3}}(?:\s*(?:,|and|&|et|und|e|i|и)\s*{_BYLINE_NAME}){{0,3}}"
    rf"(?P<agency>\s*[,(]\s*(?:avec |with |mit |con |z |с )?{_PHOTO_AGENCY}\)?)?"
    rf"(?P<dateline>\s*[|·•,;–—-]?\s*{_DATELINE})?\W*",
    _FLAGS,
)
# First names of bylines that `first_names` lacks (it keeps names of one gender for quotes)
_MORE_BYLINE_FIRST_NAMES = frozenset(
    """
    alex amanda ben chris dan dave jake jamie jane jeff jessie josh karine karista
    kate kelly kim marton matt nick pat rob ryan sam sean tony
    """.split()
)
_FIRST_NAME_LANGUAGES = ("en", "fr", "de", "it", "pl", "ru")
# Tag lists ("Tagi: media publiczne Sejm PiS"): the words after the label hold no sentence
# and read like a list (see `_is_tag_list`: "Tags: the minister lied again" is prose)
_TAGS = re.compile(
    r"(?:tags?|tagi|tagged(?: with)?|mots?[- ]clés?|schlagw[oö]rte?r?|stichw[oö]rte?r?"
    r"|argomenti|теги|тэги|метки|ключевые слова|słowa kluczowe|filed under)\s*:"
    r"(?![^\n]*[.!?](?:\s|$))(?P<tags>[^\n]{1,200})",
    _FLAGS,
)
_TAG_SEPARATOR = re.compile(r"[,;|·•]")
_MAX_TAG_WORDS = 6  # an item of a tag list: "columbia university asian american alliance"
_LOWER_RUN = re.compile(r"(?:^|\s)(?:[^\W\d_A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻА-ЯЁ][\w'’-]*(?:\s+|$)){4}")
# Live and breaking-news badges, age ratings ("18+")
_BADGE = (
    r"(?:live(?:[- ]?ticker| blog| updates)?|en direct|direct|in diretta|diretta|na żywo"
    r"|relacja na żywo|онлайн|прямой эфир|breaking(?: news)?|eilmeldung|dernière minute"
    r"|ultim[’']ora|pilne|срочно|молния|\d{1,2}\+)"
)
# Consent dialogs that ask the reader to read about the processing of their data ("Zanim
# przejdziesz dalej, zapoznaj się z informacją o przetwarzaniu danych osobowych i plikach
# cookies."), and their headers ("Twoja prywatność jest dla nas ważna")
_BEFORE_YOU_CONTINUE = (
    r"(?:before you (?:continue|proceed|go on)|avant de (?:continuer|poursuivre)"
    r"|bevor sie (?:fortfahren|weiterlesen|weitergehen)|prima di (?:continuare|proseguire)"
    r"|zanim (?:przejdziesz|przejdą państwo)(?: dalej| do serwisu| do strony)?"
    r"|прежде чем (?:продолжить|перейти))"
)
_DATA_WORDS = (
    r"(?:cookie|personal data|privacy|données (?:personnelles|à caractère personnel)"
    r"|vie privée|confidentialité|personenbezogene|datenschutz|dati personali"
    r"|danych osobowych|prywatnoś|персональн\w* данн|конфиденциальн)"
)
_PRIVACY_HEADER = (
    r"(?:your privacy (?:is important to us|matters(?: to us)?)|we (?:value|respect|care about)"
    r" your privacy|votre vie privée (?:est importante pour nous|nous importe|compte)"
    r"|(?:le )?respect de votre vie privée est (?:notre|une) priorité|nous respectons votre vie"
    r" privée|ihre privatsphäre ist uns wichtig|wir respektieren ihre privatsphäre|la (?:tua|sua)"
    r" privacy è importante(?: per noi)?|rispettiamo la (?:tua|sua) privacy|twoja prywatność"
    r" jest dla nas (?:ważna|najważniejsza)|dbamy o (?:twoją|państwa) prywatność"
    r"|(?:мы ценим|мы уважаем) вашу конфиденциальность|ваша конфиденциальность важна для нас)"
)
# Lines that are debris as a whole; the ones opened by a word are also checked for prose.
_DEBRIS_LINE = [
    re.compile(p, _FLAGS)
    for p in (
        # widgets and ad markers, alone on their line
        rf"(?:{_ADVERTISEMENT}|{_CONTINUE_READING}"
        r"|(?:story|article) continues (?:below|after)(?: (?:the )?advertisement)?"
        r"|scroll (?:down )?to continue[^.!?]{0,40})\W*",
        # the other languages' teaser headers, alone on their line (`_FOREIGN_TEASER_HEADER`)
        _FOREIGN_TEASER_HEADER.pattern,
        # share buttons and comment prompts, alone on their line
        rf"(?:partager|partagez|condividi|udostępnij|поделиться|поделитесь)(?:\s+{_SHARED_THING})?"
        rf"(?:\s+(?:(?:sur|par|via|su|na|в|во|через)\s+)?{_NETWORK})?\W*",
        rf"(?:{_SHARED_THING}\s+)?(?:(?:auf|per|via|bei)\s+)?(?:{_NETWORK}\s+)?teilen\W*",
        r"(?:twittern|tweeten)\W*",
        rf"(?:{_COMMENTS})\W*",
        # cookie notices; a sentence merely ending in "cookies." is prose
        rf"{_COOKIE_NOTICE}(?=.*{_COOKIE_NOTICE_WORD}).{{0,300}}",
        rf"(?={_CONSENT_NOTICE})(?=.*cookie)(?=.*{_COOKIE_NOTICE_WORD}).{{0,300}}",
        # consent buttons and privacy links, alone on their line
        rf"{_CONSENT_BUTTON}[^\w.!?]*",
        # "By using this site, you agree...": a notice, not "By using this site's archive, ..."
        r"by (?:continuing|using) (?:to (?:use|browse|visit) )?(?:this|our|the) (?:web)?site"
        r"\s*,?\s*(?:you\s+)?(?:agree|accept|consent|are agreeing|acknowledge)\b.{0,300}",
        # the button ending a notice ("... Accept all cookies"), not "... to accept cookies!"
        r"(?:.{0,200}\s)?(?-i:Accept|ACCEPT)(?: all)? cookies[^\w.]*"
        r"|accept(?: all)? cookies[^\w.]*",
        r"(?:.{0,200}\b(?:our|your|this site's|manage|read (?:our|the)) )?"
        r"cookie (?:policy|settings|preferences)\W*",
        # syndication notices and comment prompts: a source's name after them, no sentence
        r"(?:(?:this )?(?:article|report|story|piece|post|column) (?:was )?)?"
        r"(?:re)?(?:posted|printed|published) with permission"
        rf"(?:\W*|\s+(?:from|of|by)\b(?=.{{0,150}}$){_NOTICE_TAIL})",
        # "Reprinted from The Duran.": a capitalised source right after "from", and nothing
        # but its name ("Published from Moscow, the newspaper became..." is prose)
        rf"(?:re)?(?:printed|published|posted) from\s+(?=(?-i:[A-Z]).{{0,150}}$){_NOTICE_TAIL}",
        # a blog post's signature line: "Posted by b on November 29, 2018 at 10:23 AM | Permalink"
        r"posted by .{1,100}\|\s*permalink\W*",
        r"(?:(?:this )?(?:article|report|story|piece|post|column) (?:was )?)?"
        r"originally (?:published|appeared|posted)"
        rf"(?:\W*|\s*(?::|(?:by|in|on|at|as|the)\b)(?=.{{0,150}}$){_NOTICE_TAIL})",
        # comment prompts end at the comments ("Tell us, Mr. President, why your comments on
        # Ukraine changed?" is a question)
        r"(?:let us know|tell us|leave a comment|share your (?:thoughts|views|opinions?))\b"
        r".{0,60}\b(?:in|below|the)\s+(?:the\s+)?comments?(?:\s+section)?(?:\s+below)?"
        # ... and what they should say ("Let us know in the comments what you think.")
        r"(?:\s+(?:what you think|your (?:thoughts|views|opinions?)))?\W*",
        # copyright lines: a name after the year, and nothing but names and the notice's
        # words ("Copyright 2020 was ...", "Copyright 2021 Act was rushed ..." are prose)
        r"copyright\s*(?:©|\(c\))?\s*\d{4}(?:\s*[-–]\s*\d{4})?,?\s*"
        rf"(?=(?-i:[A-Z©(\"“]).{{0,300}}$){_NOTICE_TAIL}",
        # "All rights reserved.", alone or after a copyright's names and year; "Since 2013,
        # the Home Office behaves as if ...: all rights reserved." is prose
        rf"{_RIGHTS_RESERVED}\W*",
        r"(?=.{0,240}$)(?=.*(?:©|\(c\)|copyright|\b(?:19|20)\d\d\b))"
        rf"(?=.*{_RIGHTS_RESERVED}\W*$)"
        rf"(?:{_RIGHTS_WORDS}|{_NOTICE_SEPARATORS}|{_AP_NOTICE}|{_NAME_WORD}|{_NOTICE_WORDS})*+",
        # photo credits and captions: a caption starts like one, not lower case mid-sentence
        r"(?:image|photo|picture|photograph|video)s?\s*(?:copyright|credit|caption|source|via|"
        r"courtesy)s?(?:\s*:|\s+(?:of|by|to)\b|\s+(?-i:[A-Z@©])).{0,300}",
        r"(?:image|photo|picture|photograph|video)s?\s*:\s*(?-i:[^\sa-z]).{0,300}",
        r"[^.!?]{0,80}(?:getty images|/afp|/reuters|ap photo|/ap\b|shutterstock|istock)"
        r"[^.!?]{0,40}",
        # the other languages' credits, alone or ending a caption: "Foto: dpa/Michael
        # Kappeler", "Фото: РИА Новости / ...", "Fot. PAP/Radek Pietruszka", "Foto Ansa",
        # "... alla Farnesina (Ansa/Fabio Frustaci)"; not "Foto e immagini confermano ..."
        rf"(?:.{{0,200}}(?:[.!?]|\s[|–—-]))?\s*{_PHOTO_CREDIT}[^\w.!?]*",
        # in brackets: alone, or after a caption when it names a photographer (a wire
        # report's paragraph ends "(dpa/lno)" or "(Reuters/AP)": prose, not a caption)
        rf"\((?:{_PHOTO_CREDIT}|{_CREDITED_AGENCY})\)\W*",
        rf".{{0,200}}\s\((?:{_PHOTO_AGENCY}\s*/\s*{_PHOTOGRAPHER}|{_PHOTOGRAPHER}\s*/\s*"
        rf"{_PHOTO_AGENCY})\)\W*",
        # paywall prompts, datelines and badges (bylines and tag lists: `_is_debris_line`)
        _PAYWALL,
        # (not "March 5th, 2017." said in a transcript, nor a verse's "2:11)." cut off)
        rf"{_DATELINE}[^\w.)\]]*",
        rf"{_BADGE}\W*",
        # consent dialogs about the reader's data, and their headers
        rf"{_BEFORE_YOU_CONTINUE}\b(?=.*{_DATA_WORDS}).{{0,300}}",
        rf"{_PRIVACY_HEADER}\W*",
    )
]
# Debris whatever words it holds: the © sign, lone URLs, e-mail addresses, handles, separators,
# a menu of four or more short items ("Home | News | Sport | Business").
_DEBRIS_MARK = [
    re.compile(p, _FLAGS)
    for p in (
        r"(?:©|\(c\)\s*\d{4}|copyright ©).{0,300}",
        r"<?(?:https?://|www\.)\S+>?",
        r"(?:[\w-]+\.)+(?:com|org|net|co\.uk|info|news|tv|io|us)(?:/\S*)?",
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        r"(?:facebook|twitter|instagram|youtube|telegram|gab|gettr|parler|rumble|tiktok|x)\s*:"
        r"\s*\S+",
        r"([*_=~#-])\1{2,}",
        r"[^|.!?]{1,30}(?:\|[^|.!?]{1,30}){3,}",
    )
]
_MAX_DEBRIS_LINE = 320  # longer lines are prose, whatever their first words
_MAX_LINK_LINE = 160
_MAX_CALL_WORDS = 3  # "Subscribe now!", "Sign up today": a bare call (of `_BARE_CALL_REST`)


def _debris_positions(
    text: str,
    paragraphs: list[tuple[int, int, int]],
    lines: list[str],
    debris_line: list[bool],
    skip: int | None,
) -> set[int]:
    """Positions (in ``paragraphs``) of scraping debris: widgets, teasers, credits, link lists.

    Conservative by design: a line is debris only when the whole line looks like it; prose
    that merely starts with "Subscribe" or "Related:" stays. A few unmistakable headers ("You
    might also like", "Related") near the end turn everything after them into debris, but only
    when all of it reads like a link list; otherwise they take just the links right after them.
    The other languages' "Lire aussi" headers take the rest only in such a box at the end.
    ``lines`` are the stripped paragraphs, ``debris_line`` tells which are debris lines.
    """
    # list_from[i]: lines i.. all read like a link list (links, widgets, credits), no prose
    list_from = [True] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        list_from[i] = list_from[i + 1] and (debris_line[i] or _looks_like_link(lines[i]))
    found: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        short = i != skip and len(line) <= 80
        tail_header = short and bool(_TAIL_HEADER.fullmatch(line))
        box_header = tail_header or (short and bool(_FOREIGN_TEASER_HEADER.fullmatch(line)))
        if box_header and list_from[i + 1] and _in_tail(text, paragraphs[i]):
            found.update(range(i, len(lines)))
            break
        if i != skip and (tail_header or (len(line) <= 80 and _LINK_LIST_HEADER.fullmatch(line))):
            found.add(i)
            while i + 1 < len(lines) and _looks_like_link(lines[i + 1]):
                i += 1
                found.add(i)
        elif debris_line[i]:
            found.add(i)
        i += 1
    if skip is not None:
        found.discard(skip)
    return found


def _is_debris_line(line: str) -> bool:
    """True when the whole (stripped) line is one piece of debris, not a sentence of prose."""
    if not any(not unicodedata.category(c).startswith(("Z", "C")) for c in line):
        return True  # only zero-width or format characters (e.g. a stray BOM line)
    if len(line) > _MAX_DEBRIS_LINE:
        return False
    if any(p.fullmatch(line) for p in _DEBRIS_MARK):
        return True
    if _REPORTED_SPEECH.search(line):
        return False
    if teaser := _TEASER.fullmatch(line):
        if teaser["bare"] is None:
            return teaser["headline"] is None or _is_headline(teaser["headline"])
        if _is_headline(teaser["bare"]):
            return True
    if call := _CALL_TO_ACTION.match(line):
        rest = call["rest"]
        if (
            len(rest.split()) <= _MAX_CALL_WORDS
            and not rest.rstrip().endswith(".")
            and _BARE_CALL_REST.fullmatch(rest)
        ):
            return True
        if _THIRD_PARTY_OBJECT.match(rest):
            return False
        # the object must be in the call's own sentence: "Share this outrage? Many Facebook
        # users did within hours." is prose
        call_end = next(split_sentences(line), (0, len(line)))[1]
        if _CALL_OBJECT.search(line, 0, call_end) and len(line) <= 200:
            return True  # else it may be a prompt: "Melden Sie sich an, um zu kommentieren."
    if _is_byline(line) or _is_tag_list(line):
        return True
    return any(p.fullmatch(line) for p in _DEBRIS_LINE)


def _is_byline(line: str) -> bool:
    """A byline alone on its line: names with a label, an agency, a dateline or a first name."""
    if not (byline := _BYLINE.fullmatch(line)):
        return False
    if byline["label"] or byline["agency"] or byline["dateline"]:
        return True
    first = byline["first"].lower()
    return first in _MORE_BYLINE_FIRST_NAMES or any(
        first_name_gender(first, language) for language in _FIRST_NAME_LANGUAGES
    )


def _is_tag_list(line: str) -> bool:
    """A tag list: short items between commas, or a few words with no run of lower-case ones."""
    if not (tags := _TAGS.fullmatch(line)):
        return False
    items = [item for item in _TAG_SEPARATOR.split(tags["tags"]) if item.strip()]
    if len(items) > 1:
        return all(len(item.split()) <= _MAX_TAG_WORDS for item in items)
    return not _LOWER_RUN.search(tags["tags"])


def _is_headline(text: str) -> bool:
    """A teaser's headline: short, capitalised like a title, not ending like a sentence."""
    text = text.strip()
    first = next((c for c in text if c.isalnum()), "")
    return len(text) <= _MAX_LINK_LINE and not first.islower() and not text.endswith(".")


def _in_tail(text: str, paragraph: tuple[int, int, int]) -> bool:
    """True when what follows the line is at most half the text: a box at the end of the page.

    A "Related" box scraped *before* the story must not turn the story into debris; such a
    header only takes the link-like lines after it.
    """
    return len(text) - paragraph[1] <= 0.5 * len(text)


def _looks_like_link(line: str) -> bool:
    """A headline in a link list: short, and not ending like a sentence of prose.

    A question or a quotation ("Why were they banned?", "'Right decision'") is the article's
    own subheading more often than a link: a "Read more:" box stops before it.
    """
    return (
        bool(line)
        and len(line) <= _MAX_LINK_LINE
        and not re.search(r"[.,;:!?\"”’']$", line)
        and not _REPORTED_SPEECH.search(line)
    )


def _merge_debris(text: str, paragraphs: tuple[Paragraph, ...]) -> tuple[tuple[int, int], ...]:
    """Character ranges of debris, adjacent debris paragraphs (blank lines between) merged."""
    ranges: list[tuple[int, int]] = []
    previous_debris = False
    for p in paragraphs:
        if p.is_debris and previous_debris and ranges:
            ranges[-1] = (ranges[-1][0], p.end)
        elif p.is_debris:
            ranges.append((p.start, p.end))
        previous_debris = p.is_debris
    return tuple(ranges)
