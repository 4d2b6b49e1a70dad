"""DedupConfig: datatrove's defaults, strict keys, bands that cover the signature."""

import pytest
from pydantic import ValidationError

from corpus_assets.dedup import DedupConfig


def test_defaults_are_datatroves_five_grams_fourteen_bands_of_eight():
    config = DedupConfig()
    assert (config.ngram_size, config.num_perm, config.bands, config.rows_per_band) == (5, 112, 14, 8)
    assert config.verify_with_jaccard is True  # beyond datatrove, which takes every band collision
    assert config.fold_numbers is True
    assert config.collision_threshold == pytest.approx(0.72, abs=0.005)


def test_collision_probability_is_the_lsh_s_curve():
    config = DedupConfig()
    assert config.collision_probability(0.5) < 0.06
    assert config.collision_probability(0.85) > 0.98
    assert config.collision_probability(1.0) == 1.0 and config.collision_probability(0.0) == 0.0


def test_every_field_has_a_default_and_a_description():
    for name, field in DedupConfig.model_fields.items():
        assert not field.is_required(), name
        assert field.description, name


def test_bands_times_rows_must_equal_num_perm():
    with pytest.raises(ValidationError, match="bands \\* rows_per_band must equal num_perm"):
        DedupConfig(bands=10)
    assert DedupConfig(num_perm=128, bands=16, rows_per_band=8).bands == 16


@pytest.mark.parametrize("bad", [
    {"unknown_key": 1}, {"ngram_size": 0}, {"seed": -1}, {"seed": 2**32},
    {"verify_jaccard_threshold": 0.0}, {"verify_jaccard_threshold": 1.5}, {"num_perm": "many"},
])
def test_invalid_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        DedupConfig(**bad)
