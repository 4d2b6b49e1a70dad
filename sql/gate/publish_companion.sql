-- Replace one crawl date of a companion table by its staged rows (inside the stage's publish transaction).
DELETE FROM main.{table} WHERE crawl_date = $crawl_date;
INSERT INTO main.{table} SELECT * FROM staging.{table} WHERE crawl_date = $crawl_date;
