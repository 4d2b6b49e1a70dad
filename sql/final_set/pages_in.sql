-- The published filtered pages of one date, as decontamination reads them, with the licence each declares (its
-- page_rights) or its first-party source states (in stored order: each page is matched on its own, and a sort
-- would hold the date's texts at once).
SELECT f.page_id, f.crawl_date, f.url, f.title, f.text, f.word_count, coalesce(r.licence, l.licence) AS licence
FROM main.filtered_text f
LEFT JOIN main.page_rights r ON r.crawl_date = f.crawl_date AND r.page_id = f.page_id
LEFT JOIN main.licensed_documents l ON l.crawl_date = f.crawl_date AND l.page_id = f.page_id
WHERE f.crawl_date = $crawl_date;
