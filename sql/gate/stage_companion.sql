-- An empty staging copy of a table published together with a stage's partition (dedup history, signals).
CREATE OR REPLACE TABLE staging.{table} AS SELECT * FROM main.{table} LIMIT 0;
