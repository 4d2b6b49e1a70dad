"""Settings of exact and near-duplicate detection.

The defaults are datatrove's: MinHash over word 5-grams, 112 permutations read as 14 bands of 8 rows. Two pages
share at least one band with probability 1 - (1 - J^8)^14 for a shingle Jaccard similarity J: 0.05 at J = 0.5,
0.65 at J = 0.72 (`collision_threshold`, the steep middle of that S-curve), 0.99 at J = 0.85.

`ngram_size`, `num_perm`, `rows_per_band`, `seed` and `fold_numbers` decide every stored band hash: change one and
the band hashes already in the warehouse no longer match new ones, so the history must be rebuilt.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DedupConfig(BaseModel):
    """How pages are shingled, signed with MinHash, banded for LSH and (optionally) verified."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ngram_size: int = Field(
        default=5, ge=1,
        description="Words per shingle; a text with fewer words (but at least one) is one shingle of all its words.",
    )
    num_perm: int = Field(default=112, ge=1, description="MinHash permutations: the length of a signature.")
    bands: int = Field(default=14, ge=1, description="LSH bands; two pages are candidates when one band is equal.")
    rows_per_band: int = Field(
        default=8, ge=1, description="Signature values per band; bands * rows_per_band must equal num_perm."
    )
    seed: int = Field(
        default=1, ge=0, lt=2**32,
        description="Seed of datasketch's permutation parameters (numpy RandomState, hence below 2**32).",
    )
    fold_numbers: bool = Field(
        default=True,
        description="Map every digit to 0 before hashing, so pages differing only in dates or counters match.",
    )
    verify_with_jaccard: bool = Field(
        default=True,
        description="Drop a candidate pair's later page only if the true Jaccard of their shingles reaches "
        "verify_jaccard_threshold (needs both texts; removes LSH false positives). datatrove does not verify: "
        "on two versions of the PostgreSQL docs its band collisions alone dropped 6 pages at an estimated Jaccard "
        "down to 0.55; verifying costs about 10% of the dedup step there (make benchmark-dedup).",
    )
    verify_jaccard_threshold: float = Field(
        default=0.72, gt=0.0, le=1.0,
        description="Smallest true shingle Jaccard of a verified near-duplicate pair.",
    )

    @model_validator(mode="after")
    def _bands_cover_the_signature(self) -> DedupConfig:
        if self.bands * self.rows_per_band != self.num_perm:
            raise ValueError(
                f"bands * rows_per_band must equal num_perm: {self.bands} * {self.rows_per_band} "
                f"= {self.bands * self.rows_per_band}, not {self.num_perm}"
            )
        return self

    @property
    def collision_threshold(self) -> float:
        """(1/b)^(1/r), the Jaccard similarity in the steep middle of the collision S-curve (0.72 by default)."""
        return (1.0 / self.bands) ** (1.0 / self.rows_per_band)

    def collision_probability(self, jaccard: float) -> float:
        """The probability that two pages with this true Jaccard similarity share at least one band."""
        return 1.0 - (1.0 - jaccard**self.rows_per_band) ** self.bands
