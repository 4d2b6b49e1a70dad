-- Pages that repeat an earlier date are out of the running within their own date too: their bands leave.
DELETE FROM staging.dedup_bands WHERE page_id IN (SELECT unnest($page_ids::VARCHAR[]));
