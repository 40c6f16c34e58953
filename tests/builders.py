"""Hand-made analyses for tests that need no model (reports, submission formats)."""

from __future__ import annotations

import gc
import math
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from propscope import taxonomy
from propscope.schema import (
    Alternative,
    Analysis,
    ArticleInfo,
    ModelInfo,
    ParagraphResult,
    Summary,
    TechniqueSpan,
)

# --------------------------------------------------------------


def span(
    text: str,
    start: int,
    end: int,
    technique: str = "Loaded_Language",
    voice: str = "author",
    speaker: str | None = None,
    confidence: float = 0.8,
    alternatives: tuple[tuple[str, float], ...] = (),
    label: str | None = None,
) -> TechniqueSpan:
    info = taxonomy.TECHNIQUE_INFO[technique]
    return TechniqueSpan(
        start=start,
        end=end,
        text=text[start:end],
        technique=technique,
        technique_label=label or info.label,
        category=info.category,
        ptc_technique=taxonomy.TO_PTC[technique],
        confidence=confidence,
        detection=min(1.0, confidence + 0.1),
        technique_probability=0.9,
        alternatives=tuple(Alternative(technique=t, probability=p) for t, p in alternatives),
        paragraph=text.count("\n", 0, start) + 1,
        voice=voice,
        speaker=speaker,
        explanation=info.explanation,
    )


def at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``words`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def analysis(
    text: str,
    spans: list[TechniqueSpan],
    debris: tuple[tuple[int, int], ...] = (),
    article_id: str = "a1",
    title: str | None = None,
    source: str | None = None,
    model_name: str = "propscope-span-tagger",
) -> Analysis:
    """An Analysis with paragraphs = non-empty lines, the first one the title."""
    paragraphs = []
    offset = 0
    for index, line in enumerate(text.split("\n"), 1):
        content = line.rstrip("\r")
        if content.strip():
            start, end = offset, offset + len(content)
            paragraphs.append(
                ParagraphResult(
                    index=index,
                    start=start,
                    end=end,
                    is_title=not paragraphs,
                    is_debris=any(s <= start and end <= e for s, e in debris),
                    techniques=tuple(
                        sorted({s.technique for s in spans if s.start < end and s.end > start})
                    ),
                )
            )
        offset += len(line) + 1
    analysed = sum(p.end - p.start for p in paragraphs if not p.is_debris)
    covered = {i for s in spans for i in range(s.start, s.end)}
    return Analysis(
        article=ArticleInfo(
            id=article_id,
            source=source,
            title=title if title is not None else text.split("\n", 1)[0].strip(),
            characters=len(text),
            sentences=max(1, text.count(".")),
            debris=debris,
        ),
        text=text,
        spans=tuple(spans),
        paragraphs=tuple(paragraphs),
        summary=Summary(
            spans=len(spans),
            by_technique=dict(Counter(s.technique for s in spans)),
            by_category=dict(Counter(s.category for s in spans)),
            by_voice=dict(Counter(s.voice for s in spans)),
            by_speaker=dict(Counter(s.speaker for s in spans if s.speaker)),
            coverage=min(1.0, len(covered) / analysed) if analysed else 0.0,
            analysed_characters=analysed,
        ),
        model=ModelInfo(
            name=model_name,
            version="0.3.1",
            encoder="all-MiniLM-L6-v2",
            trained_on="PTC + SemEval-2023 (en)",
            decoding={"threshold": 0.42, "min_tokens": 2.0},
        ),
    )


def serve_in_thread(
    handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1"
) -> tuple[ThreadingHTTPServer, str]:
    """An HTTP server for ``handler`` on a loopback ``host`` (a free port), serving in a
    thread: the server (shut it down after) and its base URL. Tests reach only loopback IP
    addresses, never a name to resolve."""
    httpd = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://{host}:{httpd.server_port}"


class RoutesHandler(BaseHTTPRequestHandler):
    """Serves ``routes`` (path -> (Content-Type, body)) with 200, anything else with 404;
    no log lines. Subclasses set ``routes``."""

    routes: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path not in self.routes:
            self.send_error(404)
            return
        content_type, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_on_loopback(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`serve_in_thread` on 127.0.0.1 as a context: its base URL, shut down on exit."""
    httpd, url = serve_in_thread(handler)
    try:
        yield url
    finally:
        httpd.shutdown()
        httpd.server_close()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on the loopback ``host`` now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def start_uvicorn(app, **config) -> tuple[Any, threading.Thread, int]:
    """uvicorn serving ``app`` on a free 127.0.0.1 port in a thread, once it has started:
    the server, its thread and the port (``config``: more of ``uvicorn.Config``'s options).
    Stop it with :func:`stop_uvicorn`."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    return server, thread, port


def stop_uvicorn(server: Any, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(10)


# --------------------------------------------------------------

LINEAR_BATCH = 0.05  # CPU seconds a batch of runs takes at least: one short run is noise


def _cpu_seconds(work: Callable[[int], object], size: int, runs: int) -> float:
    """CPU time of this process over ``runs`` calls of ``work(size)``, the garbage collector
    paused (a collection landing in one batch and not the other would tilt the ratio)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        started = time.process_time()
        for _ in range(runs):
            work(size)
        return time.process_time() - started
    finally:
        if collecting:
            gc.enable()


def grows_linearly(work: Callable[[int], object], n: int, factor: int = 4) -> float:
    """How many times more CPU time ``work(factor * n)`` takes than ``work(n)``: about
    ``factor`` for work that grows linearly with the size, ``factor ** 2`` for quadratic work.

    A guard against a quadratic regression asserts this ratio (``< 2 * factor``), never a
    time: timings belong to bench/. It is the CPU time of this process, not wall time, so other
    processes' load does not count, and a ratio of two sizes, so a slower machine does not
    either. ``work(n)`` is repeated until a batch takes `LINEAR_BATCH`, and ``work(factor *
    n)`` as many times; each size takes the least of two batches (the larger size's second
    batch only when the first looks superlinear). Choose ``n`` where the regression guarded
    against is already most of the work, or the ratio hides it; as the batch is set by the
    small size, a regression costs about ``factor ** 2`` times its batch to show, not minutes.
    """
    runs = 1
    while (small := _cpu_seconds(work, n, runs)) < LINEAR_BATCH:
        runs = max(runs + 1, math.ceil(1.2 * LINEAR_BATCH * runs / max(small, 1e-6)))
    small = min(small, _cpu_seconds(work, n, runs))
    large = _cpu_seconds(work, factor * n, runs)
    if large > 1.5 * factor * small:  # a busy moment, or superlinear: once more to tell
        large = min(large, _cpu_seconds(work, factor * n, runs))
    return large / small
