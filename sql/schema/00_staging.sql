-- Staged partitions are computed here, audited, and only then copied into the published tables.
CREATE SCHEMA IF NOT EXISTS staging;
