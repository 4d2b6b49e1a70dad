-- Ids that appear more than once anywhere in the release's shards (page ids are unique across dates too).
SELECT count(*) - count(DISTINCT id) AS repeated_ids, count(*) AS shard_rows FROM read_parquet($files);
