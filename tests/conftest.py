"""Shared fixtures: the bundled example, the shared data folder and the shipped model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "amnesty-pro-armenian-official.txt"


def run_readme_example(heading: str) -> tuple[list[str], list[str]]:
    """Run the first code block after ``heading`` in the README (from the checkout's root)
    and return (the lines it printed, the lines the next block says it prints)."""
    import contextlib
    import io
    import re

    section = (ROOT / "README.md").read_text(encoding="utf-8").split(heading, 1)[1]
    code, expected = re.findall(r"```(?:python)?\n(.*?)```", section, flags=re.S)[:2]
    out = io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = [line.rstrip() for line in out.getvalue().rstrip("\n").split("\n")]
    return printed, expected.rstrip("\n").split("\n")


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def data_dir() -> Path:
    from propscope.corpora import default_data_dir

    path = default_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture(scope="session")
def model():
    """The model shipped in the package, loaded once for the whole test run."""
    from propscope.models.tagger import load_model

    return load_model()


@pytest.fixture(scope="session")
def example_analysis(model, example_path):
    from propscope.analysis import analyze
    from propscope.io.readers import read_article_file

    return analyze(read_article_file(example_path), model)


@pytest.fixture(params=["sqlite", "postgresql"])
def corpus_db_url(request, tmp_path):
    """A fresh, empty store URL: a SQLite file, and a PostgreSQL schema of its own when
    ``PROPSCOPE_TEST_PG_URL`` names a server (``.ci/run`` starts one); dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    base = os.environ.get("PROPSCOPE_TEST_PG_URL")
    if not base:
        pytest.skip("PROPSCOPE_TEST_PG_URL is not set (no PostgreSQL server to test on)")
    import uuid

    from sqlalchemy import create_engine, make_url, text

    schema = f"test_corpus_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
