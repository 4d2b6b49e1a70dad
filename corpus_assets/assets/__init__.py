"""The Dagster assets, one module per stage: thin wiring over the pure modules."""
