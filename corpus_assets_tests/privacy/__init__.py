"""Tests of corpus_assets.privacy: PII redaction and its labelled set."""
