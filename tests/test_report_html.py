"""The self-contained HTML report, from hand-made analyses (no model needed)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from builders import analysis, at, grows_linearly, span

from propscope import taxonomy
from propscope.report.html import DEBRIS_NOTE, _voice_reading, render_html, split_segments
from propscope.schema import (
    Analysis,
    LanguageInfo,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "amnesty-pro-armenian-official.txt"
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_ATTR = '" onmouseover="x'

# --- a small HTML tree (html.parser) --------------------------------------------------------

VOID = {"meta", "input", "br", "img", "link", "hr", "col", "source", "wbr", "area", "base"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and all(v in (n.attrs.get(k.rstrip("_")) or "").split() for k, v in attrs.items())
        ]

    def by_id(self, id_: str) -> Node:
        (node,) = [n for n in self.iter() if n.attrs.get("id") == id_]
        return node


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.tags.append((tag, node.attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.tags.append((tag, node.attrs))
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    return builder


def doc_node(tree: TreeBuilder, number: int = 1) -> Node:
    return tree.root.by_id(f"a{number}-doc")


def marks(doc: Node) -> list[Node]:
    return doc.find_all("mark", class_="hl")


# --- fixtures -------------------------------------------------------------------------------

TEXT = (
    "Minister slams reckless plan\n"
    "\n"
    "The reckless, shameful scheme  will\tdestroy everything, critics said.\r\n"
    '"This fake organization is a disgrace," Hikmet Hajiyev said.\n'
    "Officials said that the plan was a total disaster.\n"
    "\n"
    "You Might Also Like\n"
)


@pytest.fixture()
def example() -> Analysis:
    t = TEXT
    spans = [
        span(t, *at(t, "reckless"), "Loaded_Language"),
        span(t, *at(t, "The reckless, shameful scheme"), "Name_Calling-Labeling"),
        span(t, *at(t, "reckless, shameful"), "Loaded_Language"),  # nested, same start
        span(t, *at(t, "shameful scheme  will\tdestroy everything"), "Exaggeration-Minimisation"),
        span(
            t,
            *at(t, "This fake organization is a disgrace"),
            "Questioning_the_Reputation",
            voice="quoted",
            speaker="Hikmet Hajiyev",
            alternatives=(("Name_Calling-Labeling", 0.21),),
        ),
        span(t, *at(t, "fake organization"), "Name_Calling-Labeling", "quoted", "Hikmet Hajiyev"),
        span(t, *at(t, "a total disaster"), "Exaggeration-Minimisation", "reported", "Officials"),
    ]
    return analysis(t, spans, debris=(at(t, "You Might Also Like"),))


@pytest.fixture()
def hostile() -> Analysis:
    t = (
        f"Hostile {HOSTILE_SCRIPT} headline\n\n"
        f"He wrote {HOSTILE_SCRIPT} and {HOSTILE_ATTR} then </mark></div> & more.\n"
        f"Closing <b>bold</b> {{{{ not_a_template }}}} line.\n"
    )
    spans = [
        span(t, *at(t, HOSTILE_SCRIPT, 1), "Loaded_Language", label="<i>label</i>"),
        span(t, *at(t, HOSTILE_ATTR), "Doubt", voice="quoted", speaker=HOSTILE_ATTR),
        span(t, *at(t, "</mark></div> & more"), "Slogans", voice="reported", speaker="<b>x</b>"),
    ]
    return analysis(
        t,
        spans,
        article_id=f"id{HOSTILE_ATTR}",
        title=f"T {HOSTILE_SCRIPT}",
        source=f"https://evil.example/{HOSTILE_SCRIPT}",
        model_name=f"model {HOSTILE_SCRIPT}",
    )


# --- segments -------------------------------------------------------------------------------


def test_split_segments_nested_and_overlapping():
    segments = split_segments(20, [(0, 20), (5, 10), (8, 15), (8, 8)], titles=[(0, 3)])
    assert [(s.start, s.end) for s in segments] == [
        (0, 3),
        (3, 5),
        (5, 8),
        (8, 10),
        (10, 15),
        (15, 20),
    ]
    assert [s.spans for s in segments] == [(0,), (0,), (0, 1), (0, 1, 2), (0, 2), (0,)]
    assert segments[2].starts == (1,) and segments[3].ends == (1,) and segments[4].ends == (2,)
    assert [s.title for s in segments] == [True] + [False] * 5


def test_split_segments_tile_the_text_and_clamp():
    segments = split_segments(10, [(-3, 4), (6, 99)], debris=[(8, 12)])
    assert segments[0].start == 0 and segments[-1].end == 10
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))
    assert [s.debris for s in segments] == [False, False, False, True]
    assert segments[-1].debris_start


def test_split_segments_of_many_findings_is_no_quadratic_scan():
    # A guard, not a benchmark: every segment once asked every span whether it covered it
    # (8,000 spans: several seconds); a sweep over the cut points takes milliseconds, and
    # four times as many spans about four times as long.
    def segments_of(findings: int) -> list:
        """``findings`` spans 50 characters apart and one over the whole text."""
        length = 50 * findings
        spans = [(i * 50, i * 50 + 30) for i in range(findings)] + [(0, length)]
        return split_segments(length, spans, titles=[(0, 10)], debris=[(length - 10, length)])

    assert grows_linearly(segments_of, 500) < 8
    segments = segments_of(8000)
    assert len(segments) == 16_002  # the 16,000 span ends, the title's end, the debris' start
    assert segments[1].spans == (0, 8000) and segments[2].spans == (8000,)
    assert segments[0].title and segments[-1].debris and segments[-1].debris_start


# --- the document ---------------------------------------------------------------------------


def test_segments_reassemble_the_original_text(example, hostile):
    for a in (example, hostile):
        tree = parse(render_html([a]))
        assert doc_node(tree).text() == a.text


def test_every_span_is_inside_highlighted_elements(example):
    tree = parse(render_html([example]))
    ordered = sorted(example.spans, key=lambda s: (s.start, -s.end, s.technique))
    segs = marks(doc_node(tree))
    for i, s in enumerate(ordered):
        covering = [m for m in segs if str(i) in m.attrs["data-spans"].split()]
        assert "".join(m.text() for m in covering) == example.text[s.start : s.end]
        # each span has exactly one keyboard stop, on its first segment
        first = [m for m in segs if str(i) in (m.attrs.get("data-first") or "").split()]
        assert len(first) == 1 and first[0] is covering[0]
        assert first[0].attrs["tabindex"] == "0" and first[0].attrs["role"] == "button"
        assert f"a1-d{i}" in first[0].attrs["aria-describedby"].split()
    # nested/overlapping: some segment is covered by three spans, shown as colour bands
    deep = [m for m in segs if len(m.attrs["data-spans"].split()) == 3]
    assert deep and all("deep" in m.attrs["class"].split() for m in deep)
    assert "linear-gradient" in deep[0].attrs["style"]


def test_no_network_resources(example, hostile):
    html = render_html([example, hostile])
    tree = parse(html)
    for tag, attrs in tree.tags:
        assert "src" not in attrs, tag
        assert tag not in {"link", "img", "iframe", "object", "embed", "base"}
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs["href"]
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "@import" not in html and "url(" not in html
    # the only URL is the hostile article's source, shown as escaped text
    assert re.findall(r"https?://", html) == ["https://"] * html.count("https://evil.example/")
    only_text = html.replace("https://evil.example/", "")
    assert "http://" not in only_text and "https://" not in only_text
    assert "default-src 'none'" in html  # the browser itself blocks any request


def test_hostile_text_is_escaped(hostile):
    html = render_html([hostile])
    assert HOSTILE_SCRIPT not in html
    assert "<script>alert" not in html and "<b>" not in html and "<i>label" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tree = parse(html)
    scripts = [attrs for tag, attrs in tree.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "a1-data"}, {}]
    for _, attrs in tree.tags:
        assert "onmouseover" not in attrs
    # the hostile speaker survives as an attribute value, not as markup
    tags = [m.attrs.get("data-tag") or "" for m in marks(doc_node(tree))]
    assert any(HOSTILE_ATTR in tag for tag in tags)
    assert "{{ not_a_template }}" in doc_node(tree).text()
    data = json.loads(tree.root.by_id("a1-data").text())
    assert data["spans"][0]["label"] == "<i>label</i>"  # JSON-escaped, read back intact
    assert "<" not in tree.root.by_id("a1-data").text().replace("\\u003c", "")


def test_voice_is_visible_and_speakers_tagged(example):
    tree = parse(render_html([example]))
    segs = marks(doc_node(tree))
    quoted = [m for m in segs if "v-quoted" in m.attrs["class"].split()]
    reported = [m for m in segs if "v-reported" in m.attrs["class"].split()]
    author = [m for m in segs if "v-author" in m.attrs["class"].split()]
    assert quoted and reported and author
    assert "This fake organization is a disgrace" == "".join(m.text() for m in quoted)
    assert any("Hikmet Hajiyev" in (m.attrs.get("data-tag") or "") for m in quoted)
    assert any((m.attrs.get("data-tag") or "").endswith("Officials") for m in reported)
    # author spans get a number tag only, no speaker
    assert all("·" not in (m.attrs.get("data-tag") or "") for m in author)


def test_details_data_for_the_card(example):
    tree = parse(render_html([example]))
    spans = json.loads(tree.root.by_id("a1-data").text())["spans"]
    assert len(spans) == len(example.spans)
    quote = next(s for s in spans if s["technique"] == "Questioning_the_Reputation")
    assert quote["who"] == "quoted: Hikmet Hajiyev" and quote["speaker"] == "Hikmet Hajiyev"
    assert quote["category"] == "Attack on reputation"
    assert quote["confidence"] == "80%" and quote["detection"] == "90%"
    assert quote["technique_probability"] == "90%"
    assert quote["alternatives"] == [["Name calling / labelling", "21%"]]
    assert quote["explanation"] and quote["definition"]
    assert next(s for s in spans if s["voice"] == "reported")["who"] == "reported speech: Officials"
    assert {s["who"] for s in spans if s["voice"] == "author"} == {"the author"}
    assert quote["bg"] == taxonomy.CATEGORY_COLOURS["Attack on reputation"]


def test_debris_greyed_out_with_note(example):
    tree = parse(render_html([example]))
    debris = doc_node(tree).find_all(class_="debris")
    assert "".join(d.text() for d in debris) == "You Might Also Like"
    assert debris[0].attrs["data-note"] == DEBRIS_NOTE == "not analysed (scraping debris)"
    assert DEBRIS_NOTE in tree.root.find_all("p", class_="note")[0].text()
    title = doc_node(tree).find_all(class_="title")
    assert "".join(n.text() for n in title) == "Minister slams reckless plan"


def test_legend_filters_table_summary_and_footer(example):
    html = render_html([example])
    tree = parse(html)
    boxes = tree.root.find_all("input")
    cats = [b for b in boxes if "data-filter-cat" in b.attrs]
    assert len(cats) == 6 and len([b for b in boxes if "data-filter-voice" in b.attrs]) == 2
    legend_text = " ".join(n.text() for n in tree.root.find_all("fieldset", class_="legend"))
    for name in taxonomy.CATEGORIES:
        assert name in legend_text
    rows = tree.root.find_all("tr")[1:]
    assert len(rows) == len(example.spans)
    assert all(r.find_all("button", class_="goto") for r in rows)
    assert "quoted: Hikmet Hajiyev" in rows[3].text() or "quoted: Hikmet Hajiyev" in html
    summary = tree.root.find_all("section", class_="summary")[0].text()
    assert "3 of 7 findings are in quoted or reported speech, mostly from Hikmet Hajiyev" in summary
    chart = tree.root.find_all("svg")[0]
    bars = [r for r in chart.find_all("rect") if r.attrs.get("fill") != "#EEF0F3"]
    assert len(bars) == len({s.technique for s in example.spans}) + len(
        {s.category for s in example.spans}
    )
    footer = tree.root.find_all("footer")[0].text()
    assert "propscope-span-tagger 0.3.1" in footer
    assert "min_tokens = 2, threshold = 0.42" in footer
    assert "machine predictions" in footer and "research" in footer and "SemEval-2023" in footer


def test_two_articles_have_a_contents_list_and_unique_ids(example, hostile):
    html = render_html([example, hostile], title="Two pieces")
    tree = parse(html)
    nav = tree.root.find_all("nav")[0]
    assert [a.attrs["href"] for a in nav.find_all("a")] == ["#article-1", "#article-2"]
    ids = [attrs["id"] for _, attrs in tree.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    assert doc_node(tree, 1).text() == example.text
    assert doc_node(tree, 2).text() == hostile.text
    assert "<title>Two pieces · propscope</title>" in html
    assert "<nav" not in render_html([example])


def test_no_findings_and_empty_text():
    html = render_html([analysis("Just a calm headline\n\nNothing to see.", [])])
    assert "No persuasion techniques were found" in html
    tree = parse(html)
    assert doc_node(tree).text() == "Just a calm headline\n\nNothing to see."
    assert not marks(doc_node(tree))
    assert doc_node(parse(render_html([analysis("", [], title="empty")]))).text() == ""


@pytest.mark.parametrize(
    ("voices", "speakers", "expected"),
    [
        ([], [], "The model found no persuasion techniques above its threshold."),
        (["author"] * 3, [None] * 3, "All 3 findings are in the author's own words."),
        (
            ["quoted"] * 12 + ["author"] * 2,
            ["Hikmet Hajiyev"] * 10 + ["Aliyev"] * 2 + [None] * 2,
            "12 of 14 findings are in quoted or reported speech, mostly from Hikmet Hajiyev; "
            "2 are in the author's own words.",
        ),
        (
            ["reported", "author", "author"],
            ["Officials", None, None],
            "1 of 3 findings is in quoted or reported speech, from Officials; "
            "2 are in the author's own words.",
        ),
        (
            ["quoted", "quoted"],
            ["A", "A"],
            "All 2 findings are in quoted or reported speech, all from A.",
        ),
        # no speaker more than once: still named (the terminal's totals named them before)
        (
            ["quoted", "quoted", "author"],
            ["A", None, None],
            "2 of 3 findings are in quoted or reported speech, 1 from A; 1 is in the author's "
            "own words.",
        ),
        (
            ["quoted", "quoted", "quoted", "author"],
            ["A", "B", "C", None],
            "3 of 4 findings are in quoted or reported speech, from A and 2 others; 1 is in the "
            "author's own words.",
        ),
    ],
)
def test_voice_reading(voices, speakers, expected):
    spans = [
        span("x" * 10, 0, 5, voice=v, speaker=s) for v, s in zip(voices, speakers, strict=True)
    ]
    assert _voice_reading(spans) == expected


def test_bundled_example_renders():
    text = EXAMPLE.read_text(encoding="utf-8")
    quoted = "This fake organization evokes a feeling of disgust and antipathy"
    spans = [
        span(text, *at(text, "pro-Armenian organization"), "Name_Calling-Labeling"),
        span(
            text,
            *at(text, "unilaterally and biasedly acting from the position of double standards"),
            "Appeal_to_Hypocrisy",
            voice="reported",
            speaker="Hikmet Hajiyev",
        ),
        span(text, *at(text, quoted), "Questioning_the_Reputation", "quoted", "Hikmet Hajiyev"),
        span(text, *at(text, "fake organization"), "Name_Calling-Labeling", "quoted", "Hajiyev"),
    ]
    debris = (at(text, "You Might Also Like"),)
    html = render_html([analysis(text, spans, debris=debris, source="examples/amnesty.txt")])
    tree = parse(html)
    assert doc_node(tree).text() == text
    assert "3 of 4 findings are in quoted or reported speech, mostly from Hikmet Hajiyev" in html


def test_templates_are_package_data():
    folder = resources.files("propscope.report") / "templates"
    for name in ("report.html.j2", "report.css", "report.js"):
        assert (folder / name).is_file()


def test_unknown_category_gets_fallback_colours():
    text = "A new kind of trick here.\n"
    odd = span(text, *at(text, "new kind"), "Loaded_Language").model_copy(
        update={"category": "Something new", "technique": "Invented_Technique"}
    )
    tree = parse(render_html([analysis(text, [odd])]))
    (mark,) = marks(doc_node(tree))
    assert mark.text() == "new kind" and "--bg:#" in mark.attrs["style"]
    legend = " ".join(n.text() for n in tree.root.find_all("fieldset", class_="legend"))
    assert "Something new" in legend


def _paragraph_level(text: str, techniques: dict[str, float]) -> Analysis:
    """A French (paragraph-level only) analysis whose second line has ``techniques``."""
    base = analysis(text, [])
    first, second = base.paragraphs
    tagged = second.model_copy(
        update={"techniques": tuple(techniques), "technique_probabilities": techniques}
    )
    french = LanguageInfo(code="fr", name="French", confidence=0.99, spans=False)
    return base.model_copy(update={"paragraphs": (first, tagged), "language": french})


def test_unknown_paragraph_technique_degrades_like_unknown_spans():
    """A stored analysis from a newer or foreign store naming a paragraph technique this
    version does not know still renders: readable label, fallback colours, the known
    technique beside it unchanged."""
    text = "Une nouvelle ruse ici.\nEt une autre phrase chargée.\n"
    odd = _paragraph_level(text, {"Invented_Technique": 0.7, "Loaded_Language": 0.6})
    tree = parse(render_html([odd]))
    (section,) = [s for s in tree.root.find_all("section") if "Techniques by paragraph" in s.text()]
    chips = {c.text(): c.attrs["style"] for c in section.find_all("span", class_="swatch-chip")}
    assert set(chips) == {"Invented Technique 70%", "Loaded language 60%"}
    assert all("background:#" in style for style in chips.values())


def test_unknown_untrained_technique_is_named_not_fatal():
    text = "Une nouvelle ruse ici.\nEt une autre phrase chargée.\n"
    base = _paragraph_level(text, {"Loaded_Language": 0.6})
    model = base.model.model_copy(update={"untrained_techniques": ("Future_Technique", "Doubt")})
    html = render_html([base.model_copy(update={"model": model})])
    assert "Not trained to find</strong> Future Technique, Doubt:" in html


def test_the_terminal_report_names_unknown_techniques_too():
    """The terminal report had the HTML report's crash: an unknown paragraph or untrained
    technique of a stored analysis raised KeyError."""
    from rich.console import Console

    from propscope.report.terminal import render_terminal

    text = "Une nouvelle ruse ici.\nEt une autre phrase chargée.\n"
    odd = _paragraph_level(text, {"Invented_Technique": 0.7, "Loaded_Language": 0.6})
    model = odd.model.model_copy(update={"untrained_techniques": ("Future_Technique",)})
    console = Console(record=True, width=200)
    render_terminal([odd.model_copy(update={"model": model})], console)
    shown = console.export_text()
    assert "Invented Technique 70%" in shown
    assert "Future Technique" in shown


def test_findings_that_start_together_keep_the_analysis_numbers() -> None:
    """A fresh-text tester: two findings starting at one offset were #25/#26 in the terminal
    report and the JSON but #26/#25 in the HTML report and the web page."""
    import re

    from builders import analysis, span

    from propscope.report.html import render_html

    text = "Headline\n\nThe corrupt elite and their lies are destroying our great nation."
    start = text.index("corrupt")
    short, long_ = (
        span(text, start, start + 13, "Loaded_Language"),
        span(text, start, start + 33, "Name_Calling-Labeling"),
    )
    made = analysis(text, [short, long_], article_id="1")
    assert [s.end - s.start for s in made.spans] == [13, 33]  # the analysis' order
    page = render_html([made])
    numbers = re.findall(r"Finding (\d+) of 2: ([^(]+) \(", page)
    assert numbers == [("1", "Loaded language"), ("2", "Name calling / labelling")]
