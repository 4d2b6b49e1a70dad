-- The staged filtered_text columns the gate audits, with recounts: every page the filters saw has its quality and
-- safety signals, and no e-mail address or card number is left in a kept title or text. The re-scan is this file's
-- (DuckDB's RE2 regexps and a Luhn check in SQL), not the redactor's code: an e-mail-shaped string whose last label
-- is not a file ending (icon@2x.png is an image), and a run of 13 to 19 digits (a space or dash allowed between
-- two) starting with 2 to 6, as card numbers do, whose Luhn sum is a multiple of 10. Quantifier braces are doubled:
-- every statement goes through str.format.
WITH scanned AS (
    SELECT t.page_id, t.url, t.crawl_date, t.word_count, length(t.text) AS text_chars,
           list_filter(regexp_extract_all(concat_ws(' ', t.title, t.text),
                                          '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}'),
                       m -> NOT regexp_matches(lower(m), '\.(png|jpe?g|gif|svg|webp|avif|bmp|ico|pdf|js|css)$'))
               AS emails,
           list_transform(regexp_extract_all(concat_ws(' ', t.title, t.text), '[0-9](?:[ -]?[0-9]){{12,18}}'),
                          m -> regexp_replace(m, '[^0-9]', '', 'g')) AS digit_runs
    FROM staging.filtered_text t
)
SELECT page_id, url, crawl_date, word_count, text_chars,
       (SELECT count(*) FROM main.deduped_text d WHERE d.crawl_date = s.crawl_date)
         = (SELECT count(*) FROM staging.quality_signals)
         AND (SELECT count(*) FROM main.deduped_text d WHERE d.crawl_date = s.crawl_date)
         = (SELECT count(*) FROM staging.safety_signals) AS signals_complete,
       length(emails) AS surviving_emails,
       length(list_filter(digit_runs, d -> left(d, 1) BETWEEN '2' AND '6' AND list_sum(list_transform(
           range(1, length(d) + 1),
           i -> CASE WHEN (length(d) - i) % 2 = 1
                     THEN 2 * CAST(substr(d, i, 1) AS INTEGER) - CASE WHEN substr(d, i, 1) >= '5' THEN 9 ELSE 0 END
                     ELSE CAST(substr(d, i, 1) AS INTEGER) END)) % 10 = 0)) AS surviving_cards
FROM scanned s;
