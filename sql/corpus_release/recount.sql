-- The release's gate, by another route than the writer's: its Parquet shards read back, counted per crawl date.
SELECT crawl_date::VARCHAR AS crawl_date,
       count(*) AS shard_rows,
       count(DISTINCT id) AS distinct_ids,
       count_if(text IS NULL OR trim(text) = '') AS empty_texts,
       count_if(source IS NULL OR language IS NULL) AS missing_provenance
FROM read_parquet($files)
GROUP BY crawl_date
ORDER BY crawl_date;
