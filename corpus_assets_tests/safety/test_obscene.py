import pytest

from corpus_assets.safety import ObsceneConfig, obscenity_signals, obscenity_verdict
from corpus_assets.safety.obscene import ldnoobw_entries, word_list
from corpus_assets_tests.safety.texts import CLEAN, OBSCENE


def test_lists_are_read_from_the_installed_package():
    entries = ldnoobw_entries("en")
    assert len(entries) > 300
    assert "fuck" in word_list("en").words
    assert ("two", "girls", "one", "cup") in word_list("en").phrases["two"]


@pytest.mark.parametrize("name", sorted(OBSCENE))
def test_an_obscene_text_is_dropped_under_the_defaults(name):
    language = "fr" if name.startswith("french") else "en"
    signals = obscenity_signals(OBSCENE[name], language)
    assert signals.flagged_words >= 3
    verdict = obscenity_verdict(signals, language, ObsceneConfig())
    assert verdict is not None
    assert (verdict.filter, verdict.rule) == ("obscene", "max_flagged_ratio")
    assert verdict.value == signals.ratio > verdict.threshold


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_a_clean_or_medical_text_is_kept_under_the_defaults(name):
    signals = obscenity_signals(CLEAN[name], "en")
    assert obscenity_verdict(signals, "en", ObsceneConfig()) is None


def test_signals_count_whole_words_case_folded_with_examples():
    signals = obscenity_signals("SHIT! Shit, shit... Fuck this porn, said Scunthorpe's assessor.", "en")
    assert signals.flagged_words == 5
    assert signals.words == 9
    assert signals.ratio == pytest.approx(5 / 9)
    assert signals.examples == ("shit", "fuck", "porn")


def test_a_phrase_counts_once_and_words_inside_words_do_not_count():
    assert obscenity_signals("They watched two girls one cup today.", "en").flagged_words == 1
    # A word that opens a phrase counts on its own when listed; one inside a matched phrase does not count again.
    signals = obscenity_signals("Two girls one cup, then porn and two girls one cup porn.", "en")
    assert (signals.flagged_words, signals.examples) == (4, ("two girls one cup", "porn"))
    assert obscenity_signals("Assess the classic passage of Scunthorpe.", "en").flagged_words == 0


def test_the_biology_page_has_listed_words_that_c4_would_drop():
    # The default keeps it (above), but it does hold listed words: C4's any-word rule would drop it.
    c4 = ObsceneConfig(min_flagged_words=1, max_flagged_ratio=0.0)
    signals = obscenity_signals(CLEAN["biology lesson"], "en")
    assert signals.flagged_words >= 2
    assert obscenity_verdict(signals, "en", c4) is not None


def test_unspaced_scripts_match_substrings_and_count_characters():
    signals = obscenity_signals("这是一个13点的测试", "zh-CN")
    assert signals.flagged_words == 1
    assert signals.words == 9  # 8 Han characters and the number 13
    assert signals.examples == ("13点",)


def test_a_language_without_a_list_or_switched_off_is_never_dropped():
    text = OBSCENE["abusive rant"]
    assert obscenity_signals(text, "xx").flagged_words == 0
    assert obscenity_signals(text, "xx").words == obscenity_signals(text, "en").words  # counted all the same
    with pytest.raises(KeyError, match="no LDNOOBW list for 'xx'"):
        word_list("xx")
    assert obscenity_verdict(obscenity_signals(text, "en"), "en", ObsceneConfig(languages=("fr",))) is None
    assert obscenity_verdict(obscenity_signals(text, "en"), "en", ObsceneConfig(enabled=False)) is None


def test_an_empty_text_has_no_ratio():
    assert obscenity_signals("", "en").ratio == 0.0
