-- How many values of each kind of personal data were replaced in a kept page's text (e-mail, phone, ip_address,
-- credit_card, iban), never the values themselves. One row per page and kind found. Published with filtered_text
-- (corpus_assets/privacy).
CREATE TABLE IF NOT EXISTS pii_redactions (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    pii_type VARCHAR NOT NULL,
    redactions INTEGER NOT NULL
);
