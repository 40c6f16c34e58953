"""``python -m propscope``: the same command line as ``propscope``."""

from propscope.cli import app

app(prog_name="propscope")
