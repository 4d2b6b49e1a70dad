"""Main-text extraction measured against the AEB ground truth (../shared/data/extraction/aeb)."""
