-- What every page extraction saw says about its use for training: the text-and-data-mining opt-outs it carries
-- (robots.txt groups for AI crawlers, X-Robots-Tag and <meta> noai, W3C TDMRep), noindex, and the licence it
-- declares, as SPDX. Kept for every page, kept or dropped, so a policy what-if is one query. Published with
-- extracted_text (corpus_assets/rights).
CREATE TABLE IF NOT EXISTS page_rights (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    licence VARCHAR,                    -- SPDX id, LicenseRef-unknown for an unrecognised declaration, NULL: none
    licence_source VARCHAR,             -- where it was declared: link rel=license, JSON-LD license...
    licence_url VARCHAR,
    tdm_policy VARCHAR,                 -- the TDMRep policy URL in effect, if any
    opt_out BOOLEAN NOT NULL,           -- any signal opts the page out of training
    signals JSON NOT NULL,              -- [{kind, value, location, opt_out}, ...]
    rights_drop VARCHAR                 -- tdm_opt_out, noindex or licence when the rights policy dropped the page
);
