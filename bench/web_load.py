"""Latency and throughput of ``POST /api/v1/analyze`` on loopback, for the bundled example.

Starts the real server (``propscope serve`` with a fresh SQLite file) in a subprocess, waits
until the model is loaded, then measures, with a bounded number of requests:

* sequential latency (p50/p95) of new articles (the example plus a unique last line, so each
  request is analysed, not served from the store);
* requests per second and latency with ``--concurrency`` clients (default 8) on new articles;
* the same for a text already stored (answered from the database, no analysis).

    python bench/web_load.py                 # 20 sequential + 80 concurrent requests
    python bench/web_load.py --requests 40   # fewer
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "amnesty-pro-armenian-official.txt"
SERVER = """
import sys, uvicorn
from propscope.web import create_app
app = create_app(db_url=sys.argv[1], analysis_workers=int(sys.argv[3]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was actually observed)."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


async def one(client: httpx.AsyncClient, text: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = await client.post("/api/v1/analyze", json={"text": text})
    elapsed = time.perf_counter() - start
    if response.status_code not in (200, 201):
        raise SystemExit(f"unexpected {response.status_code}: {response.text[:200]}")
    return elapsed, response.status_code


async def run_phase(base: str, texts: list[str], concurrency: int) -> tuple[list[float], float]:
    """Send every text once with ``concurrency`` clients; (latencies, wall seconds)."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for text in texts:
        queue.put_nowait(text)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:

        async def worker() -> None:
            while True:
                try:
                    text = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                elapsed, _ = await one(client, text)
                latencies.append(elapsed)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return latencies, wall


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited before it was ready")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"the server was not ready within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sequential", type=int, default=20, help="sequential requests")
    parser.add_argument("--requests", type=int, default=80, help="requests per concurrent phase")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--analysis-workers", type=int, default=1, help="server-side bound")
    args = parser.parse_args()

    example = EXAMPLE.read_text(encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="propscope-bench-") as folder:
        db = str(Path(folder) / "bench.db")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER, db, str(port), str(args.analysis_workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(base, process)
            unique = iter(f"{example}\nRequest {i}." for i in range(10**6))
            asyncio.run(run_phase(base, [next(unique) for _ in range(2)], 1))  # warm-up
            seq, _ = asyncio.run(run_phase(base, [next(unique) for _ in range(args.sequential)], 1))
            new, new_wall = asyncio.run(
                run_phase(base, [next(unique) for _ in range(args.requests)], args.concurrency)
            )
            asyncio.run(run_phase(base, [example], 1))  # store it: the next phase reads it
            stored, stored_wall = asyncio.run(
                run_phase(base, [example] * args.requests, args.concurrency)
            )
        finally:
            process.terminate()
            process.wait(30)

    rows = [
        ("new article, 1 client", seq, None),
        (f"new article, {args.concurrency} clients", new, args.requests / new_wall),
        (f"already stored, {args.concurrency} clients", stored, args.requests / stored_wall),
    ]
    print(
        f"POST /api/v1/analyze, bundled example ({len(example):,} characters), loopback; "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"analysis workers {args.analysis_workers}"
    )
    print(f"{'case':<32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'req/s':>7}")
    for name, values, rate in rows:
        print(
            f"{name:<32} {len(values):>8} {1000 * percentile(values, 50):>8.0f} "
            f"{1000 * percentile(values, 95):>8.0f} {1000 * statistics.fmean(values):>8.0f} "
            f"{'' if rate is None else f'{rate:.2f}':>7}"
        )


if __name__ == "__main__":
    main()
