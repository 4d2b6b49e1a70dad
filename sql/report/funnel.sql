-- The per-stage funnel of the crawl dates from $first_date to $last_date (one date: both the same): pages in,
-- pages out and drops by reason, from the published tables. deduped_text's pages in are the extracted pages and the
-- first-party documents (licensed_documents) together.
WITH kept AS (
    SELECT 'raw_pages' AS stage, 1 AS stage_order, count(*) AS pages FROM raw_pages WHERE crawl_date BETWEEN $first_date AND $last_date
    UNION ALL SELECT 'extracted_text', 2, count(*) FROM extracted_text WHERE crawl_date BETWEEN $first_date AND $last_date
    UNION ALL SELECT 'licensed_documents', 3, count(*) FROM licensed_documents
        WHERE crawl_date BETWEEN $first_date AND $last_date
    UNION ALL SELECT 'deduped_text', 4, count(*) FROM deduped_text WHERE crawl_date BETWEEN $first_date AND $last_date
    UNION ALL SELECT 'filtered_text', 5, count(*) FROM filtered_text WHERE crawl_date BETWEEN $first_date AND $last_date
    UNION ALL SELECT 'final_set', 6, count(*) FROM final_set WHERE crawl_date BETWEEN $first_date AND $last_date
), drops AS (
    SELECT stage, reason, count(*) AS pages
    FROM drop_log WHERE crawl_date BETWEEN $first_date AND $last_date
    GROUP BY stage, reason
)
SELECT
    k.stage,
    k.pages + coalesce(sum(d.pages), 0) AS pages_in,
    k.pages AS pages_out,
    coalesce(sum(d.pages), 0) AS dropped,
    coalesce(string_agg(d.reason || '=' || d.pages, ', ' ORDER BY d.pages DESC, d.reason), '') AS drops_by_reason
FROM kept k
LEFT JOIN drops d USING (stage)
WHERE k.stage <> 'licensed_documents' OR k.pages > 0  -- a crawl without first-party sources shows no such row
GROUP BY k.stage, k.stage_order, k.pages
ORDER BY k.stage_order;
