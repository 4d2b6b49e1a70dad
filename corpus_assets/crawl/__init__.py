"""Collecting pages: a polite crawler that archives every exchange as WARC, and readers for WARC sources.

Plain Python, no Dagster: `raw_pages` is a thin asset over these functions.
"""
