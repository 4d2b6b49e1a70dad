-- Takedown requests on record, and how many pages of the released dates each withholds from a release.
SELECT t.takedown_id, t.requested_at, t.scope, t.target, t.reason, t.requested_by,
       count(m.page_id) AS pages_withheld
FROM main.takedowns t
LEFT JOIN takedown_matches m USING (takedown_id)
GROUP BY ALL
ORDER BY t.takedown_id;
