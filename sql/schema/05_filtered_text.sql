-- A page that passes the quality heuristics (Gopher repetition, Gopher quality, C4, FineWeb); text after C4's
-- line removal.
CREATE TABLE IF NOT EXISTS filtered_text (
    page_id VARCHAR NOT NULL,
    crawl_date DATE NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    text VARCHAR NOT NULL,
    word_count INTEGER NOT NULL
);
-- Every quality signal of every page the filters saw (kept or dropped), so a threshold what-if is one query.
-- The columns are corpus_assets.quality.SIGNAL_NAMES; a test keeps them in step.
CREATE TABLE IF NOT EXISTS quality_signals (
    crawl_date DATE NOT NULL,
    page_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    gopher_repetition_text_chars DOUBLE,
    gopher_repetition_dup_para_frac DOUBLE,
    gopher_repetition_dup_para_char_frac DOUBLE,
    gopher_repetition_dup_line_frac DOUBLE,
    gopher_repetition_dup_line_char_frac DOUBLE,
    gopher_repetition_top_2_gram_char_frac DOUBLE,
    gopher_repetition_top_3_gram_char_frac DOUBLE,
    gopher_repetition_top_4_gram_char_frac DOUBLE,
    gopher_repetition_dup_5_gram_char_frac DOUBLE,
    gopher_repetition_dup_6_gram_char_frac DOUBLE,
    gopher_repetition_dup_7_gram_char_frac DOUBLE,
    gopher_repetition_dup_8_gram_char_frac DOUBLE,
    gopher_repetition_dup_9_gram_char_frac DOUBLE,
    gopher_repetition_dup_10_gram_char_frac DOUBLE,
    gopher_quality_words DOUBLE,
    gopher_quality_mean_word_length DOUBLE,
    gopher_quality_hash_word_ratio DOUBLE,
    gopher_quality_ellipsis_word_ratio DOUBLE,
    gopher_quality_bullet_line_frac DOUBLE,
    gopher_quality_ellipsis_line_frac DOUBLE,
    gopher_quality_alpha_word_frac DOUBLE,
    gopher_quality_stop_words DOUBLE,
    c4_lines DOUBLE,
    c4_long_word_lines DOUBLE,
    c4_no_terminal_punct_lines DOUBLE,
    c4_few_words_lines DOUBLE,
    c4_lorem_ipsum_lines DOUBLE,
    c4_javascript_lines DOUBLE,
    c4_curly_bracket_lines DOUBLE,
    c4_policy_lines DOUBLE,
    c4_kept_lines DOUBLE,
    c4_sentences DOUBLE,
    fineweb_lines DOUBLE,
    fineweb_line_punct_frac DOUBLE,
    fineweb_short_line_frac DOUBLE,
    fineweb_dup_line_char_frac DOUBLE,
    fineweb_newline_word_ratio DOUBLE
);
