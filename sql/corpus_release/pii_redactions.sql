-- Personal data replaced in the released documents, per kind: values replaced and documents with any, for the card.
SELECT p.pii_type, sum(p.redactions)::BIGINT AS redactions, count(DISTINCT p.page_id) AS documents
FROM main.pii_redactions p
SEMI JOIN main.final_set f ON f.crawl_date = p.crawl_date AND f.page_id = p.page_id
WHERE p.crawl_date BETWEEN $first_date AND $last_date
GROUP BY p.pii_type
ORDER BY redactions DESC, p.pii_type;
