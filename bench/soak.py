"""Soak test: mixed traffic from several clients against a local server, for a bounded time.

Starts ``propscope serve`` on 127.0.0.1 with a temporary SQLite file, waits for the model, then
runs ``--clients`` clients for ``--seconds``. Each client picks, request by request:

* ``new``    a text not seen before (a PTC training article from the shared data, else the
             bundled example, with a unique last line): analysed;
* ``repeat`` a text already stored: answered from the database (200);
* ``bad``    a hostile or broken request (malformed, lone surrogate, NUL, 200,000 extra fields,
             JSON 100,000 deep, 64-bit overflow, forged Host, cross-site Origin, over
             ``--max-chars``): each must get its 4xx;
* ``read``   a list, an article, the stats, or a page.

One client also sends a ``huge`` new text (just under ``--max-chars``) every ``--huge-every``
seconds. It prints p50/p95/max per kind, the statuses seen, 5xx and unexpected answers, and
the server's resident memory (RSS) over time. Nothing leaves the machine.

    python bench/soak.py --seconds 30                       # a quick run
    python bench/soak.py --seconds 300 --clients 8          # the issue's 5-minute soak
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "amnesty-pro-armenian-official.txt"
KINDS = ("new", "repeat", "huge", "bad", "read")
# What each kind must get; anything else is counted as unexpected.
EXPECTED = {"new": {201}, "repeat": {200}, "huge": {201}, "read": {200}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (a value that was actually observed)."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def article_texts(limit: int = 400) -> list[str]:
    """Real news articles of realistic lengths (PTC training set), else the bundled example."""
    folder = ROOT.parent / "shared" / "data" / "ptc_semeval2020_task11" / "train-articles"
    texts = (
        [p.read_text(encoding="utf-8") for p in sorted(folder.glob("article*.txt"))[:limit]]
        if folder.is_dir()
        else []
    )
    texts = [t for t in texts if 200 < len(t) < 20_000]
    return texts or [EXAMPLE.read_text(encoding="utf-8")]


class Soak:
    """Shared state of one run: texts, stored ids, the results, and the request factories."""

    def __init__(self, base: str, port: int, max_chars: int, seed: int) -> None:
        self.base = base
        self.port = port
        self.max_chars = max_chars
        self.random = random.Random(seed)
        self.texts = article_texts()
        self.counter = 0
        self.stored: list[tuple[int, str]] = []  # (id, text) answered 201
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.unexpected: list[str] = []
        self.transport_errors: Counter = Counter()
        self._bad = self._bad_requests()

    def unique_text(self, base_text: str) -> str:
        self.counter += 1
        return f"{base_text}\n\nSoak request {self.counter} at {time.time():.6f}."

    def huge_text(self) -> str:
        parts, size = [], 0
        target = self.max_chars - 200
        while size < target:
            part = self.random.choice(self.texts)
            parts.append(part)
            size += len(part) + 2
        return self.unique_text("\n\n".join(parts)[:target])

    def _bad_requests(self) -> list[tuple[str, dict, set[int]]]:
        """(name, httpx request arguments, accepted statuses) for each hostile request."""
        raw = {"content-type": "application/json"}
        fields = json.dumps({"text": "x", **{f"f{i}": 0 for i in range(200_000)}}).encode()
        too_long = json.dumps({"text": "word " * (self.max_chars // 5 + 10)}).encode()
        return [
            (
                "malformed JSON",
                {"method": "POST", "url": "/api/v1/analyze", "content": b"{no", "headers": raw},
                {400},
            ),
            (
                "lone surrogate",
                {
                    "method": "POST",
                    "url": "/api/v1/analyze",
                    "content": b'{"text": "a\\ud800b"}',
                    "headers": raw,
                },
                {400},
            ),
            (
                "NUL",
                {"method": "POST", "url": "/api/v1/analyze", "json": {"text": "Some\x00text"}},
                {400},
            ),
            (
                "200,000 fields",
                {"method": "POST", "url": "/api/v1/analyze", "content": fields, "headers": raw},
                {422},
            ),
            (
                "100,000 deep",
                {
                    "method": "POST",
                    "url": "/api/v1/analyze",
                    "content": b"[" * 100_000 + b"]" * 100_000,
                    "headers": raw,
                },
                {400},
            ),
            (
                "id overflow",
                {"method": "GET", "url": "/api/v1/articles/9223372036854775808"},
                {422},
            ),
            (
                "offset overflow",
                {"method": "GET", "url": "/api/v1/articles?offset=99999999999999999999999"},
                {422},
            ),
            (
                "forged Host",
                {
                    "method": "POST",
                    "url": "/articles/1/delete",
                    "headers": {"Host": f"rebind.evil.example:{self.port}"},
                },
                {400},
            ),
            (
                "cross-site",
                {
                    "method": "POST",
                    "url": "/api/v1/analyze",
                    "json": {"text": "x"},
                    "headers": {"Origin": "http://evil.example"},
                },
                {403},
            ),
            (
                "over max-chars",
                {"method": "POST", "url": "/api/v1/analyze", "content": too_long, "headers": raw},
                {413},
            ),
            ("unknown page", {"method": "GET", "url": "/articles/abc"}, {422}),
        ]

    async def send(self, client: httpx.AsyncClient, kind: str, accept: set[int], **request) -> None:
        start = time.perf_counter()
        try:
            response = await client.request(**request)
        except httpx.HTTPError as exc:
            self.transport_errors[f"{kind}: {type(exc).__name__}"] += 1
            return
        self.latency[kind].append(time.perf_counter() - start)
        self.statuses[kind][response.status_code] += 1
        if response.status_code not in accept:
            self.unexpected.append(
                f"{kind} {request.get('url')}: {response.status_code} {response.text[:120]}"
            )
        elif kind in ("new", "huge") and response.status_code == 201:
            self.stored.append((response.json()["id"], request["json"]["text"]))

    async def one(self, client: httpx.AsyncClient) -> None:
        roll = self.random.random()
        if roll < 0.4 or not self.stored:
            text = self.unique_text(self.random.choice(self.texts))
            await self.send(
                client,
                "new",
                EXPECTED["new"],
                method="POST",
                url="/api/v1/analyze",
                json={"text": text},
            )
        elif roll < 0.6:
            _, text = self.random.choice(self.stored)
            await self.send(
                client,
                "repeat",
                EXPECTED["repeat"],
                method="POST",
                url="/api/v1/analyze",
                json={"text": text},
            )
        elif roll < 0.7:
            name, request, accept = self.random.choice(self._bad)
            await self.send(client, "bad", accept, **request)
        else:
            article_id, _ = self.random.choice(self.stored)
            url = self.random.choice(
                [
                    "/api/v1/articles?limit=20",
                    f"/api/v1/articles/{article_id}",
                    "/api/v1/stats",
                    "/library",
                    "/dashboard",
                    f"/articles/{article_id}",
                ]
            )
            await self.send(client, "read", EXPECTED["read"], method="GET", url=url)


async def client_loop(soak: Soak, deadline: float, think: float, huge_every: float | None) -> None:
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=soak.base, timeout=300, limits=limits) as client:
        next_huge = time.monotonic() + 5 if huge_every else None
        while time.monotonic() < deadline:
            if next_huge is not None and time.monotonic() >= next_huge:
                next_huge += huge_every
                text = soak.huge_text()
                await soak.send(
                    client,
                    "huge",
                    EXPECTED["huge"],
                    method="POST",
                    url="/api/v1/analyze",
                    json={"text": text},
                )
            else:
                await soak.one(client)
            await asyncio.sleep(soak.random.uniform(0.5, 1.5) * think)


async def memory_loop(pid: int, deadline: float, every: float, samples: list) -> None:
    start = time.monotonic()
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - start, rss_mb(pid)))
        await asyncio.sleep(every)
    samples.append((time.monotonic() - start, rss_mb(pid)))


async def run(soak: Soak, pid: int, args: argparse.Namespace) -> list[tuple[float, float]]:
    deadline = time.monotonic() + args.seconds
    samples: list[tuple[float, float]] = []
    tasks = [memory_loop(pid, deadline, max(1.0, args.seconds / 20), samples)]
    for i in range(args.clients):
        tasks.append(client_loop(soak, deadline, args.think, args.huge_every if i == 0 else None))
    await asyncio.gather(*tasks)
    return samples


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


def report(soak: Soak, samples: list[tuple[float, float]], args: argparse.Namespace) -> int:
    print(
        f"soak: {args.clients} clients, {args.seconds:.0f} s, think ~{args.think:.1f} s, huge text "
        f"every {args.huge_every:.0f} s; server --workers {args.workers} --queue {args.queue} "
        f"--max-chars {args.max_chars:,}; {os.cpu_count()} CPU cores (load average at end "
        f"{os.getloadavg()[0]:.1f}), Python {platform.python_version()}"
    )
    print(f"{'kind':<7} {'requests':>8} {'p50 s':>7} {'p95 s':>7} {'max s':>7}  statuses")
    for kind in KINDS:
        values = soak.latency.get(kind, [])
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(soak.statuses[kind].items()))
        if values:
            print(
                f"{kind:<7} {len(values):>8} {percentile(values, 50):>7.2f} "
                f"{percentile(values, 95):>7.2f} {max(values):>7.2f}  {statuses}"
            )
        else:
            print(f"{kind:<7} {0:>8} {'-':>7} {'-':>7} {'-':>7}")
    server_errors = sum(n for c in soak.statuses.values() for s, n in c.items() if s >= 500)
    print(
        f"5xx: {server_errors}; unexpected answers: {len(soak.unexpected)}; "
        f"transport errors: {sum(soak.transport_errors.values())}"
    )
    for line in soak.unexpected[:10]:
        print(f"  unexpected: {line}")
    for what, n in soak.transport_errors.items():
        print(f"  transport: {what} x{n}")
    if samples:
        rss = [mb for _, mb in samples]
        half = len(samples) // 2
        print(
            "RSS MB: "
            + " ".join(f"{t:.0f}s:{mb:.0f}" for t, mb in samples[:: max(1, len(samples) // 10)])
        )
        print(
            f"RSS MB: start {rss[0]:.0f}, peak {max(rss):.0f}, end {rss[-1]:.0f}; "
            f"second half {rss[half]:.0f} -> {rss[-1]:.0f} ({rss[-1] - rss[half]:+.0f})"
        )
    return 1 if server_errors or soak.unexpected or soak.transport_errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests (s)")
    parser.add_argument("--huge-every", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", type=int, default=16)
    parser.add_argument("--max-chars", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="propscope-soak-") as folder:
        command = [
            sys.executable, "-c", "from propscope.cli import main; main()", "serve",
            "--host", "127.0.0.1", "--port", str(port), "--db", str(Path(folder) / "soak.db"),
            "--workers", str(args.workers), "--queue", str(args.queue),
            "--max-chars", str(args.max_chars),
        ]  # fmt: skip
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
        env.pop("PROPSCOPE_API_KEY", None)
        log = Path(folder) / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                wait_ready(base, process)
                soak = Soak(base, port, args.max_chars, args.seed)
                samples = asyncio.run(run(soak, process.pid, args))
            finally:
                stopped = time.monotonic()
                process.terminate()
                try:
                    process.wait(60)
                    stop = f"stopped {time.monotonic() - stopped:.1f} s after SIGTERM"
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    stop = "did NOT stop within 60 s of SIGTERM (killed)"
        server_log = log.read_text(errors="replace")
    code = report(soak, samples, args)
    tracebacks = server_log.count("Traceback")
    print(f"server: {stop}; {tracebacks} tracebacks in its log")
    if tracebacks:
        print(server_log[server_log.index("Traceback") :][:3000])
    return code or (1 if tracebacks or "NOT" in stop else 0)


if __name__ == "__main__":
    sys.exit(main())
