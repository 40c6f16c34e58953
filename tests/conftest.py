"""Shared fixtures: the bundled example, the shared data folder and the shipped model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "amnesty-pro-armenian-official.txt"


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
