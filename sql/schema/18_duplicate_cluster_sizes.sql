-- The size of every kept page's duplicate cluster over all published dates: the page and the pages dropped as its
-- duplicates (duplicate_links). A kept page with no duplicate has no row (its size is 1).
CREATE VIEW IF NOT EXISTS duplicate_cluster_sizes AS
SELECT kept_crawl_date AS crawl_date, kept_page_id AS page_id, 1 + count(*) AS cluster_size
FROM duplicate_links
GROUP BY kept_crawl_date, kept_page_id;
