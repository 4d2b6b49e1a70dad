"""Which pages candidate pairs drop: the earlier page wins, whatever order the pairs come in."""

import datetime as dt

from corpus_assets.dedup import DedupConfig, minhash_signature, signature_to_bytes
from corpus_assets.dedup.decisions import cross_date_drops, same_date_drops
from corpus_assets_tests.texts import ARTICLES

BASE = " ".join(ARTICLES["rivers"] + ARTICLES["bread"])
EDITED = BASE.replace("great deal of patience", "great deal of time")
UNRELATED = " ".join(ARTICLES["lighthouses"])


def pair(page, other, text, other_text, **extra):
    config = DedupConfig()
    return {"page_id": page, "url": f"u/{page}", "signature": signature_to_bytes(minhash_signature(text, config)),
            "text": text, "other_page_id": other, "other_url": f"u/{other}",
            "other_signature": signature_to_bytes(minhash_signature(other_text, config)), "other_text": other_text,
            **extra}


def test_cross_date_names_the_most_similar_earliest_page():
    pairs = [pair("p", "late", EDITED, BASE, other_date=dt.date(2026, 11, 3)),
             pair("p", "early", EDITED, BASE, other_date=dt.date(2026, 11, 1))]
    (drop,) = cross_date_drops(pairs, DedupConfig())
    assert (drop.page_id, drop.related_url, drop.reason) == ("p", "u/early", "cross_date_near_duplicate")
    assert drop.similarity > 0.8 and cross_date_drops(list(reversed(pairs)), DedupConfig()) == [drop]


def test_verification_rejects_a_band_collision_of_unrelated_texts():
    collision = [pair("p", "q", UNRELATED, BASE, other_date=dt.date(2026, 11, 1))]
    assert len(cross_date_drops(collision, DedupConfig(verify_with_jaccard=False))) == 1  # as datatrove does
    assert cross_date_drops(collision, DedupConfig()) == []


def test_same_date_clusters_keep_the_smallest_page_id():
    pairs = [pair("b", "c", EDITED, BASE), pair("a", "b", BASE, EDITED)]
    drops = same_date_drops(pairs, DedupConfig())
    assert [(d.page_id, d.related_url) for d in drops] == [("b", "u/a"), ("c", "u/a")]
    assert same_date_drops(list(reversed(pairs)), DedupConfig()) == drops
