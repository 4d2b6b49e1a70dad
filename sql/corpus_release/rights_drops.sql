-- Pages of the released crawl dates left out for their rights (opt-outs, the licence allow list) or their content
-- (blocklist, obscenity), per stage and reason, for the card.
SELECT stage, reason, count(*) AS pages
FROM main.drop_log
WHERE crawl_date BETWEEN $first_date AND $last_date
  AND reason IN ('tdm_opt_out', 'noindex', 'licence', 'blocklist', 'obscene')
GROUP BY stage, reason
ORDER BY pages DESC, stage, reason;
