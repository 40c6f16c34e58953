"""propscope: find, explain and count persuasion techniques in news articles."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Analysis", "Article", "analyze", "load_model", "to_dataframe", "__version__"]


def __getattr__(name: str):
    # Lazy imports keep `import propscope` (and the CLI's --help) fast: torch loads on use.
    if name == "analyze":
        from propscope.analysis import analyze

        return analyze
    if name == "load_model":
        from propscope.models.tagger import load_model

        return load_model
    if name == "to_dataframe":
        from propscope.integrations.frames import to_dataframe

        return to_dataframe
    if name == "Analysis":
        from propscope.schema import Analysis

        return Analysis
    if name == "Article":
        from propscope.article import Article

        return Article
    raise AttributeError(f"module 'propscope' has no attribute {name!r}")
