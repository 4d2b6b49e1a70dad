"""Releases: the published corpus written out as a versioned, immutable dataset (Parquet shards in the Hugging Face
layout, optionally Dolma JSONL) with a generated dataset card. Plain Python, no Dagster; `corpus_release` is a
thin asset over it."""
