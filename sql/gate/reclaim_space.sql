-- Write the WAL into the file and give back the blocks of the rows a publish replaced and of the staging tables
-- it emptied: DuckDB reuses a freed block only once a checkpoint has written it off.
CHECKPOINT;
