"""Adapters to other people's tools: pandas frames, a spaCy component, Label Studio.

Each module imports its library lazily (the extras ``propscope[spacy]``,
``propscope[annotate]``) and calls ``analyze()``; none reaches inside it.
"""
