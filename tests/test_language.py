"""Language gate: detection of the six SemEval languages, clear refusal of everything else."""

from __future__ import annotations

import pytest

from propscope.errors import InputError, UnsupportedLanguageError
from propscope.language import (
    SEMEVAL_CODE,
    SUPPORTED_PARAGRAPHS,
    SUPPORTED_SPANS,
    UNDETERMINED,
    detect_language,
    detectable_codes,
    iso_code,
    language_name,
    require_supported,
)

FRENCH = (
    "Le gouvernement a présenté mardi un projet de loi qui doit réformer le système des "
    "retraites. Selon le ministre, il s'agit d'une mesure indispensable pour garantir "
    "l'avenir de nos enfants, mais les syndicats dénoncent une attaque sans précédent."
)
SAMPLES = {
    "en": "The senator said on Tuesday that the new bill would cut taxes for most families.",
    "fr": FRENCH,
    "de": "Die Bundesregierung hat am Mittwoch ein neues Gesetz beschlossen, das die Mieten "
    "in den großen Städten begrenzen soll.",
    "it": "Il governo ha approvato ieri sera la nuova legge di bilancio, che secondo "
    "l'opposizione colpirà soprattutto le famiglie più povere.",
    "pl": "Rząd przyjął w środę nową ustawę, która według opozycji uderzy przede wszystkim "
    "w najbiedniejsze rodziny.",
    "ru": "Правительство в среду приняло новый закон, который, по словам оппозиции, ударит "
    "прежде всего по самым бедным семьям.",
}
JAPANESE = "政府は水曜日、野党によれば最も貧しい家庭に打撃を与える新しい法律を可決した。"


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_each_supported_language(code: str) -> None:
    guess = detect_language(SAMPLES[code])
    assert guess.code == code
    assert 0.5 < guess.confidence <= 1.0


def test_french_paragraph_is_french_and_supported() -> None:
    guess = detect_language(FRENCH)
    assert (guess.code, guess.name) == ("fr", "French")
    assert require_supported(guess.code) == "fr"
    assert SEMEVAL_CODE[guess.code] == "fr"


def test_japanese_gets_the_clear_message() -> None:
    guess = detect_language(JAPANESE)
    assert guess.code == "ja"
    with pytest.raises(UnsupportedLanguageError) as caught:
        require_supported(guess.code)
    assert str(caught.value) == (
        "text is in Japanese (ja); propscope analyses English, French, German, Italian, "
        "Polish and Russian"
    )
    assert isinstance(caught.value, InputError)  # the CLI's one-line error family


def test_span_gate_covers_the_six_languages() -> None:
    assert SUPPORTED_SPANS == SUPPORTED_PARAGRAPHS
    for code in ("en", "fr", "de", "it", "pl", "ru"):
        assert require_supported(code, SUPPORTED_SPANS) == code
    with pytest.raises(UnsupportedLanguageError, match=r"Spanish \(es\); propscope analyses"):
        require_supported("es", SUPPORTED_SPANS)


def test_semeval_codes_map_both_ways() -> None:
    assert {SEMEVAL_CODE[c] for c in SUPPORTED_PARAGRAPHS} == {"en", "fr", "ge", "it", "po", "ru"}
    assert iso_code("ge") == "de" and iso_code("PO") == "pl" and iso_code("fr") == "fr"
    assert require_supported("ge") == "de"


@pytest.mark.parametrize("text", ["", "   \n", "12 345 678", "!!! ???"])
def test_no_letters_is_undetermined(text: str) -> None:
    guess = detect_language(text)
    assert (guess.code, guess.confidence) == (UNDETERMINED, 0.0)
    with pytest.raises(UnsupportedLanguageError, match="cannot tell which language"):
        require_supported(guess.code)


def test_every_code_the_detector_can_return_has_an_english_name() -> None:
    codes = detectable_codes()
    assert len(codes) > 100 and {"en", "uz", "yo", "is", "arz", UNDETERMINED} <= codes
    unnamed = sorted(c for c in codes if language_name(c) in ("", c))
    assert not unnamed
    for code, name in [("uz", "Uzbek"), ("yo", "Yoruba"), ("is", "Icelandic")]:
        with pytest.raises(UnsupportedLanguageError, match=rf"text is in {name} \({code}\);"):
            require_supported(code)


def test_unknown_code_names_itself() -> None:
    assert language_name("xx") == "xx"
    with pytest.raises(UnsupportedLanguageError, match=r"text is in Spanish \(es\)"):
        require_supported("es")


def test_real_articles_of_each_language_are_recognised(data_dir) -> None:
    root = data_dir / "semeval2023_task3"
    for iso, folder in SEMEVAL_CODE.items():
        articles = sorted((root / folder / "train-articles-subtask-3").glob("article*.txt"))[:5]
        for path in articles:
            text = path.read_text(encoding="utf-8")
            assert detect_language(text).code == iso, path.name


@pytest.mark.parametrize("given", ["uk", "xx", "", "  "])
def test_a_language_the_caller_gives_is_refused_as_the_callers_choice(given: str) -> None:
    """analyze(language="uk") said "text is in Ukrainian (uk)" of an English text, and
    language="" silently detected."""
    from propscope.analysis import analyze
    from propscope.errors import UnsupportedLanguageError

    with pytest.raises(UnsupportedLanguageError) as refused:
        analyze("Biden meets Xi in Bali. The two leaders talked for hours.", language=given)
    message = str(refused.value)
    assert message.startswith(f"language {given!r} is not one propscope analyses")
    assert "en, fr, de, it, pl, ru" in message
    assert refused.value.confidence is None


def test_a_refused_guess_carries_how_sure_it_was() -> None:
    import pickle

    from propscope.analysis import analyze
    from propscope.errors import UnsupportedLanguageError

    with pytest.raises(UnsupportedLanguageError) as refused:
        analyze("Biden meets Xi in Bali.")
    assert refused.value.confidence is not None and refused.value.confidence < 0.5
    again = pickle.loads(pickle.dumps(refused.value))  # from a worker process
    assert (str(again), again.confidence) == (str(refused.value), refused.value.confidence)


# Written for these tests: Upper Sorbian (the detector does not know it and said Polish), a
# Polish article under a Ukrainian headline, Russian narration quoting English at length.
UPPER_SORBIAN = (
    "Budyšin. Sakske knježerstwo je we wutoru wozjewiło, zo budźe serbske šulstwo w "
    "přichodnych lětach wjace pjenjez dóstać. Ministerka za kulturu je rjekła, zo je "
    "zachowanje serbskeje rěče wažny nadawk cyłeho kraja. Zastupjerjo Domowiny su rozsud "
    "witali, ale žadaja sej tež wjace wučerjow."
)
POLISH_UNDER_UKRAINIAN = (
    "Україна отримає нові системи протиповітряної оборони від союзників\n\n"
    "Polska przekaże Ukrainie kolejny pakiet pomocy wojskowej. Poinformował o tym we wtorek "
    "minister obrony. Szczegóły mają być znane w piątek."
)
RUSSIAN_QUOTING_ENGLISH = (
    'Вашингтон. Госсекретарь США во вторник выступил с заявлением по Украине. "We will not '
    "allow Russia to dictate the terms of European security, and we will continue to support "
    'our partners with everything they need for as long as it takes," he told reporters at '
    'the State Department. "This is not a negotiation. This is a principle that our alliance '
    "has defended for seventy-five years, and we are not going to abandon it now because "
    'Moscow is making threats." Он также добавил: "Sanctions will remain in place until '
    "Russian troops leave every inch of Ukrainian territory, and anyone who helps Moscow "
    'evade them will face consequences." В Кремле назвали эти слова пропагандой.'
)


def test_an_unknown_language_read_as_a_neighbour_is_refused_by_its_letters() -> None:
    from propscope.analysis import analyze
    from propscope.errors import UnsupportedLanguageError

    assert detect_language(UPPER_SORBIAN).code == "pl"  # the detector's closest language
    with pytest.raises(UnsupportedLanguageError, match=r"letters Polish does not use \(.*ř"):
        analyze(UPPER_SORBIAN)
    assert analyze(UPPER_SORBIAN, language="pl").language.code == "pl"  # the user decides


def test_foreign_names_in_a_polish_article_are_no_foreign_language() -> None:
    from propscope.language import foreign_letters

    text = (
        "Prezydent Czech Miloš Zeman spotkał się w Pradze z premierem Petrem Fialą. Rozmowy "
        "dotyczyły współpracy energetycznej i bezpieczeństwa w regionie. Według komunikatu "
        "obie strony zgodziły się, że potrzebna jest dalsza pomoc dla Ukrainy, a ministrowie "
        "spraw zagranicznych mają przygotować wspólną deklarację do końca miesiąca. "
    ) * 2
    assert foreign_letters(text, "pl") == ""
    assert foreign_letters(UPPER_SORBIAN, "pl") != ""
    assert foreign_letters("Въ Россіи всѣ говорятъ о мирѣ и о войнѣ, и о будущемъ.", "ru") == ""


@pytest.mark.parametrize(
    ("text", "code"), [(POLISH_UNDER_UKRAINIAN, "pl"), (RUSSIAN_QUOTING_ENGLISH, "ru")]
)
def test_the_language_is_the_authors_not_the_headlines_or_the_quotes(text, code) -> None:
    """A Ukrainian headline made a Polish article Ukrainian (refused); English quotes made a
    Russian article English (read by the English tagger)."""
    from propscope.analysis import analyze, detection_paragraphs
    from propscope.io.readers import read_text
    from propscope.language import own_words

    article = read_text(text)
    paragraphs, title = detection_paragraphs(article)
    assert detect_language("\n".join(paragraphs)).code != code  # read whole: wrong
    assert detect_language(own_words(paragraphs, title)).code == code
    assert analyze(article).language.code == code


def test_the_analysis_says_whether_its_language_was_given_or_detected() -> None:
    """A given language was reported as detected with confidence 1.0."""
    from propscope.analysis import analyze
    from propscope.report.terminal import article_level

    text = "Le gouvernement a présenté mardi un projet de loi sur les retraites, critiqué par tous."
    detected, given = analyze(text), analyze(text, language="fr")
    assert (detected.language.code, given.language.code) == ("fr", "fr")
    assert not detected.language.given and given.language.given
    assert given.language.confidence == 1.0
    assert "(given)" in article_level(given).plain
    assert "(given)" not in article_level(detected).plain


@pytest.mark.parametrize("given", ["EN", "en-GB", "en_US", " en "])
def test_a_given_language_is_read_as_every_interface_reads_it(given: str) -> None:
    """analyze(language="en-GB") was refused while --language, batch and the web took it."""
    from propscope.analysis import analyze

    analysis = analyze("Biden meets Xi in Bali. The two leaders talked for hours.", language=given)
    assert (analysis.language.code, analysis.language.given) == ("en", True)
