-- Empty staging copies of a published table and of drop_log; {table} is a known table name, never user input.
CREATE OR REPLACE TABLE staging.{table} AS SELECT * FROM main.{table} LIMIT 0;
CREATE OR REPLACE TABLE staging.{table}_drops AS SELECT * FROM main.drop_log LIMIT 0;
