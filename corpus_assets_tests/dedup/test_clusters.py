"""Candidate pairs to clusters: earlier (smallest) key wins, transitively, whatever the order of pairs."""

import datetime as dt
import random

from corpus_assets.dedup import DedupConfig, candidate_pairs, near_duplicate_clusters, verified_pairs

DAY1, DAY2 = dt.date(2026, 11, 20), dt.date(2026, 11, 21)


def test_each_cluster_keeps_its_smallest_key():
    pairs = [((DAY2, "b"), (DAY1, "z")), ((DAY2, "c"), (DAY2, "b"))]
    assert near_duplicate_clusters(pairs) == {(DAY1, "z"): (DAY1, "z"), (DAY2, "b"): (DAY1, "z"),
                                              (DAY2, "c"): (DAY1, "z")}


def test_transitive_chains_in_any_order_join_one_cluster():
    keys = [(DAY1, f"page-{i:03d}") for i in range(60)]
    chain = list(zip(keys[1:], keys[:-1]))  # 59 -> 58 -> ... -> 0, each page linked to the previous one
    expected = {key: keys[0] for key in keys}
    for seed in range(5):
        shuffled = [pair[::-1] if random.Random(seed + i).random() < 0.5 else pair for i, pair in enumerate(chain)]
        random.Random(seed).shuffle(shuffled)
        assert near_duplicate_clusters(shuffled) == expected


def test_separate_clusters_stay_separate_and_merge_by_their_smallest_keys():
    pairs = [(("d", 5), ("d", 9)), (("d", 2), ("d", 7)), (("d", 9), ("d", 8))]
    clusters = near_duplicate_clusters(pairs)
    assert clusters == {("d", 5): ("d", 5), ("d", 9): ("d", 5), ("d", 8): ("d", 5),
                        ("d", 2): ("d", 2), ("d", 7): ("d", 2)}
    merged = near_duplicate_clusters([*pairs, (("d", 8), ("d", 7))])
    assert set(merged.values()) == {("d", 2)}


def test_no_pairs_no_clusters_and_self_pairs_are_harmless():
    assert near_duplicate_clusters([]) == {}
    assert near_duplicate_clusters([(("d", 1), ("d", 1))]) == {("d", 1): ("d", 1)}


def test_candidate_pairs_link_each_page_of_a_bucket_to_its_smallest_key():
    bands = {"c": [1, 20], "a": [1, 30], "b": [1, 30], "d": [40, 50], "e": [60, 50]}
    assert candidate_pairs(bands) == {("a", "b"), ("a", "c"), ("d", "e")}
    assert near_duplicate_clusters(candidate_pairs(bands)) == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "d"}


def test_verification_keeps_only_pairs_above_the_true_jaccard_threshold():
    texts = {
        "a": "the quick brown fox jumps over the lazy dog by the river bank today",
        "b": "the quick brown fox jumps over the lazy dog by the river bank tonight",
        "c": "a completely different sentence about baking bread at home in winter",
    }
    pairs = [("a", "b"), ("a", "c")]
    assert verified_pairs(pairs, texts, DedupConfig(verify_with_jaccard=False)) == pairs  # every collision
    verifying = DedupConfig(verify_jaccard_threshold=0.8)  # verification is on by default
    assert verified_pairs(pairs, texts, verifying) == [("a", "b")]
    assert verified_pairs(iter(pairs), texts.get, verifying) == [("a", "b")]
