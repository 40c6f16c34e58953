"""Rendering of analyses for people: the self-contained HTML report and the terminal view."""
