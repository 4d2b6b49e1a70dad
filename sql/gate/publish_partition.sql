-- Replace one crawl date of a published table and its stage's drop_log rows by the audited staged rows.
-- Run inside one transaction: readers see the old partition or the new one, never a mix.
DELETE FROM main.{table} WHERE crawl_date = $crawl_date;
INSERT INTO main.{table} SELECT * FROM staging.{table} WHERE crawl_date = $crawl_date;
DELETE FROM main.drop_log WHERE crawl_date = $crawl_date AND stage = $stage;
INSERT INTO main.drop_log SELECT * FROM staging.{table}_drops WHERE crawl_date = $crawl_date AND stage = $stage;
