-- A stage's balance for one date, recounted by SQL independently of the stage's code:
-- pages in ({upstream}) must equal pages out (staged {table}) plus drops, and nothing may be both kept and dropped.
SELECT
    (SELECT count(*) FROM {upstream} WHERE crawl_date = $crawl_date) AS pages_in,
    (SELECT count(*) FROM staging.{table} WHERE crawl_date = $crawl_date) AS pages_out,
    (SELECT count(*) FROM staging.{table}_drops WHERE crawl_date = $crawl_date AND stage = $stage) AS pages_dropped,
    (SELECT count(*) FROM staging.{table}_drops
        WHERE crawl_date = $crawl_date AND stage = $stage AND NOT list_contains($expected_reasons, reason))
        AS unexpected_drops,
    (SELECT count(*) FROM staging.{table} t
        SEMI JOIN staging.{table}_drops d ON d.page_id = t.page_id AND d.crawl_date = t.crawl_date
        WHERE t.crawl_date = $crawl_date) AS kept_and_dropped,
    (SELECT count(*) FROM staging.{table} t
        ANTI JOIN {upstream} u ON u.page_id = t.page_id AND u.crawl_date = t.crawl_date
        WHERE t.crawl_date = $crawl_date) AS not_from_upstream,
    (SELECT count(*) FROM staging.{table} WHERE crawl_date IS DISTINCT FROM $crawl_date) AS rows_of_other_dates;
