"""MinHash throughput: the batch path against datasketch used document by document. Prints, asserts nothing.

    make benchmark-dedup      (uv run --frozen python -m benchmarks.dedup [ground-truth.json] [--repeat 5])

Texts are the `articleBody` fields of the article-extraction-benchmark's ground truth (181 news articles,
../shared/data/extraction/aeb/ground-truth.json by default). Each way is timed from raw text (normalisation
included, what the pipeline pays) and from already normalised words (the MinHash part alone); the best of
`--repeat` runs is reported, in documents per second on one core.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from datasketch import MinHash

from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.hashing import shingle_hash
from corpus_assets.dedup.minhash import MINHASH_SCHEME, fingerprint_texts, signatures_from_words
from corpus_assets.dedup.shingles import word_shingles
from corpus_assets.text import matching_words

_BASELINE = "datasketch, MinHash per doc, update_batch()"
DEFAULT_TEXTS = Path(__file__).resolve().parents[2].parent / "shared/data/extraction/aeb/ground-truth.json"


def _datasketch_per_document(words_per_text: Sequence[list[str]], config: DedupConfig, *, batch_update: bool,
                             hashfunc: Callable | None = None) -> list[np.ndarray]:
    """One `MinHash` per document, as datasketch is commonly used: default SHA-1 hash of each shingle's text."""
    signatures = []
    for words in words_per_text:
        minhash = MinHash(num_perm=config.num_perm, seed=config.seed, scheme=MINHASH_SCHEME,
                          **({"hashfunc": hashfunc} if hashfunc else {}))
        items = set(word_shingles(words, config.ngram_size))
        encoded = items if hashfunc else [" ".join(shingle).encode() for shingle in items]
        if batch_update:
            minhash.update_batch(encoded)
        else:
            for item in encoded:
                minhash.update(item)
        signatures.append(minhash.hashvalues)
    return signatures


def _datasketch_bulk(words_per_text: Sequence[list[str]], config: DedupConfig) -> list[np.ndarray]:
    """`MinHash.bulk`: one permutation template copied per document, default SHA-1 hash of each shingle's text."""
    encoded = [[" ".join(shingle).encode() for shingle in set(word_shingles(words, config.ngram_size))]
               for words in words_per_text]
    return [m.hashvalues for m in MinHash.bulk(encoded, num_perm=config.num_perm, seed=config.seed,
                                               scheme=MINHASH_SCHEME)]


def _best_seconds(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: Sequence[str] | None = None) -> None:
    """Time each way of computing the signatures of the benchmark texts and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="?", type=Path, default=DEFAULT_TEXTS, help="ground-truth.json of AEB")
    parser.add_argument("--repeat", type=int, default=5, help="runs per way; the fastest is reported")
    args = parser.parse_args(argv)
    if not args.texts.is_file():
        parser.exit(2, f"no texts to fingerprint: {args.texts} is missing (the shared data folder ../shared/data "
                       "beside the checkout holds it)\n")
    texts = [page["articleBody"] for page in json.loads(args.texts.read_text(encoding="utf-8")).values()]
    config = DedupConfig()

    def words_of_all() -> list[list[str]]:
        return [matching_words(text, fold_numbers=config.fold_numbers) for text in texts]

    words = words_of_all()
    ways: dict[str, Callable[[list[list[str]]], object]] = {
        "datasketch, MinHash per doc, update() per shingle": lambda w: _datasketch_per_document(
            w, config, batch_update=False),
        _BASELINE: lambda w: _datasketch_per_document(w, config, batch_update=True),
        "datasketch, MinHash.bulk (shared template)": lambda w: _datasketch_bulk(w, config),
        "datasketch, update_batch() with shingle_hash": lambda w: _datasketch_per_document(
            w, config, batch_update=True, hashfunc=shingle_hash),
        "corpus_assets.dedup batch (signatures_from_words)": lambda w: signatures_from_words(w, config),
    }
    normalise_seconds = _best_seconds(words_of_all, args.repeat)
    shingle_count = sum(len(word_shingles(w, config.ngram_size)) for w in words)
    print(f"{len(texts)} texts, {sum(map(len, words)) / len(texts):.0f} words and {shingle_count / len(texts):.0f}"
          f" shingles each on average; num_perm={config.num_perm}; best of {args.repeat} runs; one core")
    print(f"normalisation alone (matching_words): {len(texts) / normalise_seconds:,.0f} docs/s")
    print("ratios are against datasketch's MinHash per document with update_batch()\n")
    print(f"{'way':<52}{'words->signature':>22}{'text->signature':>22}")
    seconds = {name: _best_seconds(lambda: way(words), args.repeat) for name, way in ways.items()}
    baseline = seconds[_BASELINE]
    for name, way_seconds in seconds.items():
        minhash_only = f"{len(texts) / way_seconds:,.0f} docs/s x{baseline / way_seconds:.1f}"
        with_text = (f"{len(texts) / (way_seconds + normalise_seconds):,.0f} docs/s"
                     f" x{(baseline + normalise_seconds) / (way_seconds + normalise_seconds):.1f}")
        print(f"{name:<52}{minhash_only:>22}{with_text:>22}")
    end_to_end = _best_seconds(lambda: fingerprint_texts(texts, config), args.repeat)
    print(f"\nfingerprint_texts (text -> content hash + signature, measured): {len(texts) / end_to_end:,.0f} docs/s")


if __name__ == "__main__":
    main()
