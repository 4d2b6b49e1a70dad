-- Every page deduplication dropped, linked to the kept page it repeats (exact or near, this date or an earlier
-- one), published with the dropping date's deduped_text partition. A kept page's duplicate cluster is itself and
-- every page linked to it, on any date: FineWeb-2 re-weights ("rehydrates") a corpus by that size.
CREATE TABLE IF NOT EXISTS duplicate_links (
    crawl_date DATE NOT NULL,           -- the dropped page's date
    page_id VARCHAR NOT NULL,           -- the dropped page
    kept_crawl_date DATE NOT NULL,
    kept_page_id VARCHAR NOT NULL,
    reason VARCHAR NOT NULL             -- exact_duplicate, near_duplicate, cross_date_duplicate, ...
);
