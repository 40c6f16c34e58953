"""Throughput, peak memory and resume time of ``propscope batch``; prints a table.

    python bench/corpus.py [--articles DIR] [--limit 100] [--workers 1 2] [--ray]

Each configuration runs ``propscope batch`` as a subprocess into a fresh SQLite file, the way
a user runs it: wall time includes start-up (imports, model loading in every worker). Peak
memory is the largest sum of RSS over the command's process tree (and, for Ray, the Ray
worker processes), sampled every 0.1 s. "Resume" reruns the finished corpus (every article
skipped); "kill + resume" SIGKILLs a fresh run after half the articles are stored and times
the rerun that completes it. ``--ray`` starts a 2-CPU Ray head on loopback for the Ray row.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from propscope.corpora import default_data_dir
from propscope.store import Store

PROPSCOPE = [sys.executable, "-c", "from propscope.cli import app; app()"]


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def ray_workers() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if handle.read().startswith(b"ray::MapWorker"):
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def run(args: list[str], with_ray: bool = False, kill_at: tuple[Store, int] | None = None):
    """(wall seconds, peak MiB, stdout) of one ``propscope`` command."""
    started = time.monotonic()
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen(PROPSCOPE + args, stdout=subprocess.PIPE, stderr=errors)
    peak = 0
    while process.poll() is None:
        pids = tree(process.pid) + (ray_workers() if with_ray else [])
        peak = max(peak, sum(rss_kib(p) for p in set(pids)))
        if kill_at and kill_at[0].count() >= kill_at[1]:
            process.send_signal(signal.SIGKILL)
        time.sleep(0.1)
    out = process.stdout.read().decode()
    if process.returncode not in (0, -signal.SIGKILL):
        errors.seek(0)
        raise SystemExit(f"propscope {' '.join(args)} failed:\n{errors.read().decode()[-3000:]}")
    return time.monotonic() - started, peak / 1024, out


def analysed_rate(out: str) -> tuple[int, float]:
    """(articles analysed, in-run rate) from the summary line, which is echoed for the record."""
    match = re.search(r"analysed (\d+),.* in ([\d.]+) s \(([\d.]+) articles/s", out)
    if not match:
        raise SystemExit(f"unexpected output:\n{out}")
    print(out.strip().splitlines()[0], flush=True)
    return int(match.group(1)), float(match.group(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--ray", action="store_true", help="also run on a local Ray head")
    options = parser.parse_args()
    articles = options.articles or (
        default_data_dir() / "ptc_semeval2020_task11" / "train-articles"
    )
    tmp = Path(tempfile.mkdtemp(prefix="propscope-bench-"))
    table = Table(title=f"propscope batch: {options.limit} articles of {articles.name}")
    for column in ("engine", "workers", "wall s", "articles/s", "in-run articles/s", "peak MiB"):
        table.add_column(column, justify="right" if column != "engine" else "left")
    base = [str(articles), "--limit", str(options.limit)]
    resume = None
    for workers in options.workers:
        db = f"sqlite:///{tmp / f'local-{workers}.db'}"
        wall, peak, out = run(["batch", *base, "--db", db, "--workers", str(workers)])
        n, rate = analysed_rate(out)
        table.add_row(
            "local", str(workers), f"{wall:.1f}", f"{n / wall:.2f}", f"{rate:.2f}", f"{peak:.0f}"
        )
        if resume is None:
            resume = run(["batch", *base, "--db", db, "--workers", str(workers)])[0]
            kill_db = f"sqlite:///{tmp / 'kill.db'}"
            store = Store(kill_db)
            run(
                ["batch", *base, "--db", kill_db, "--workers", str(workers), "--batch-size", "1"],
                kill_at=(store, options.limit // 2),
            )
            stored = store.count()
            again, _, out = run(["batch", *base, "--db", kill_db, "--workers", str(workers)])
            kill_resume = (stored, again, analysed_rate(out)[0], store.count())
    if options.ray:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        ray_tmp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")
        # Token authentication as on a real cluster; workers at the local workers' priority
        # (Ray's default nice 15 would measure the machine's other load, not propscope).
        token = Path(ray_tmp) / "token"
        token.write_text(secrets.token_hex(32))
        os.environ.update(
            RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(token), RAY_worker_niceness="0"
        )
        ray = Path(sys.executable).with_name("ray")
        head = subprocess.Popen(
            [
                str(ray),
                "start",
                "--head",
                "--block",
                f"--port={port}",
                "--node-ip-address=127.0.0.1",
                "--num-cpus=2",
                "--include-dashboard=false",
                "--disable-usage-stats",
                f"--temp-dir={ray_tmp}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for _ in range(120):  # until the head's GCS listens
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            db = f"sqlite:///{tmp / 'ray.db'}"
            address = f"127.0.0.1:{port}"
            wall, peak, out = run(
                ["batch", *base, "--db", db, "--engine", "ray", "--address", address], with_ray=True
            )
            n, rate = analysed_rate(out)
            workers = re.search(r"(\d+) workers?\)", out).group(1)
            table.add_row(
                "ray (local head, 2 CPUs)",
                workers,
                f"{wall:.1f}",
                f"{n / wall:.2f}",
                f"{rate:.2f}",
                f"{peak:.0f}",
            )
        finally:
            os.killpg(head.pid, signal.SIGINT)
            head.wait()
            shutil.rmtree(ray_tmp, ignore_errors=True)
    console = Console()
    console.print(table)
    console.print(f"resume (rerun of the finished corpus, all skipped): {resume:.1f} s")
    stored, again, n, total = kill_resume
    console.print(
        f"kill -9 after {stored} stored, rerun: {again:.1f} s, analysed {n} more, {total} stored"
    )
    console.print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
