"""The quality configuration: FineWeb's defaults, strict keys, and one key for every rule."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from corpus_assets.quality import RULES, QualityConfig
from corpus_assets.quality.assess import SIGNAL_DESCRIPTIONS

FINEWEB_DEFAULTS = {
    "tokenizer_language": "page",
    "gopher_repetition": {
        "enabled": True,
        "max_dup_para_frac": 0.3,
        "max_dup_para_char_frac": 0.2,
        "max_dup_line_frac": 0.3,
        "max_dup_line_char_frac": 0.2,
        "max_top_2_gram_char_frac": 0.2,
        "max_top_3_gram_char_frac": 0.18,
        "max_top_4_gram_char_frac": 0.16,
        "max_dup_5_gram_char_frac": 0.15,
        "max_dup_6_gram_char_frac": 0.14,
        "max_dup_7_gram_char_frac": 0.13,
        "max_dup_8_gram_char_frac": 0.12,
        "max_dup_9_gram_char_frac": 0.11,
        "max_dup_10_gram_char_frac": 0.10,
    },
    "gopher_quality": {
        "enabled": True,
        "min_words": 50,
        "max_words": 100_000,
        "min_mean_word_length": 3,
        "max_mean_word_length": 10,
        "max_hash_word_ratio": 0.1,
        "max_ellipsis_word_ratio": 0.1,
        "max_bullet_line_frac": 0.9,
        "max_ellipsis_line_frac": 0.3,
        "min_alpha_word_frac": 0.8,
        "min_stop_words": 2,
        "stop_words": ("the", "be", "to", "of", "and", "that", "have", "with"),
    },
    "c4": {
        "enabled": True,
        "remove_citations": True,
        "filter_no_terminal_punct": False,
        "max_word_length": 1000,
        "min_words_per_line": 3,
        "filter_javascript": True,
        "filter_policy": True,
        "filter_lorem_ipsum": True,
        "filter_curly_bracket": True,
        "min_sentences": 5,
    },
    "fineweb": {
        "enabled": True,
        "min_line_punct_frac": 0.12,
        "max_short_line_frac": 0.67,
        "short_line_length": 30,
        "max_dup_line_char_frac": 0.01,
        "max_newline_word_ratio": 0.3,
    },
}


def test_the_defaults_are_finewebs() -> None:
    assert QualityConfig().model_dump() == FINEWEB_DEFAULTS


@pytest.mark.parametrize(
    "settings",
    [{"gopher": {}}, {"c4": {"min_sentence": 3}}, {"fineweb": {"max_short_line_frac": -0.1}}],
    ids=["unknown filter", "unknown key", "negative threshold"],
)
def test_a_wrong_key_or_value_is_refused(settings: dict) -> None:
    with pytest.raises(ValidationError):
        QualityConfig.model_validate(settings)


def test_every_key_says_what_it_sets() -> None:
    sections = [section for section in dict(QualityConfig()).values() if isinstance(section, BaseModel)]
    models: list[type[BaseModel]] = [QualityConfig, *(type(section) for section in sections)]

    undescribed = [
        f"{model.__name__}.{name}"
        for model in models
        for name, field in model.model_fields.items()
        if not field.description
    ]

    assert undescribed == []


@pytest.mark.parametrize("language", ["page", "en", "zh", "kor"])
def test_the_tokenizer_language_is_page_or_a_language_datatrove_knows(language: str) -> None:
    assert QualityConfig(tokenizer_language=language).tokenizer_language == language


def test_an_unknown_tokenizer_language_is_refused() -> None:
    with pytest.raises(ValidationError, match="'english' is no ISO 639 code"):
        QualityConfig(tokenizer_language="english")


def test_every_rule_is_set_by_the_key_of_its_name() -> None:
    config = QualityConfig()

    for rule in RULES:
        section = getattr(config, rule.filter)
        assert rule.fixed_threshold is not None or rule.name in type(section).model_fields, rule
        assert rule.signal in SIGNAL_DESCRIPTIONS, rule


def test_every_threshold_key_has_its_rule() -> None:
    ruled = {(rule.filter, rule.name) for rule in RULES}
    thresholds = {
        (section, key)
        for section, settings in FINEWEB_DEFAULTS.items()
        for key in settings
        if key.startswith(("min_", "max_", "filter_"))
        and key not in ("min_words_per_line", "max_word_length", "filter_javascript", "filter_policy")
        and not (section == "c4" and key == "filter_no_terminal_punct")
    }

    assert thresholds == ruled - {("gopher_repetition", "non_empty"), ("fineweb", "non_empty")}
