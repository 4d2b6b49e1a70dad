-- The staged drop rows of one stage, as the drop suite audits them.
SELECT page_id, url, crawl_date, stage, reason FROM staging.{table}_drops;
