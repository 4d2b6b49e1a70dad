"""A planted set for measuring decontamination: MMLU items written into real articles, verbatim or edited.

Built from the shared files only: the MMLU test CSVs under `benchmarks/mmlu/` and the 181 article texts of
`extraction/aeb/ground-truth.json`. With a fixed seed, `planted_set` draws `targets` MMLU items and, for each, a
*control*: another item of the same subject that repeats no other item's text (`items_repeating_others`), whose
question no other item asks, word for word or edited in a word or two (`near_duplicate`). The controls are held
out of the index (`held_out`), so a page flagged after a control was planted into it is a false positive: the
control shares its subject, and for moral_scenarios its 33-word instruction, with indexed items, but it is not one
of them.

An item is planted as a quiz page prints it, after a random paragraph of an article: the question, then the choices
lettered "A." to "D.", one a line. Variants of a target:

- `verbatim`: as the CSV has it;
- `format`: the same words in other case, spacing and punctuation (which normalising for matching undoes);
- `1 word`, `2 words`, `3 words` edited: that many distinct words of the question replaced by words of the articles.
"""

from __future__ import annotations

import difflib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus_assets.decontam.eval_sets import BenchmarkItem
from corpus_assets.decontam.ngrams import item_ngrams, normalized_for_matching

# A 10-gram of this many MMLU items or more is a template (moral_scenarios' instruction is in 895); one of fewer
# but two is a passage or a question several items repeat. 10, not 13: high_school_chemistry 105 and 150 are two
# questions about one 11-word passage ("Atoms of four elements are examined: carbon, nitrogen, neon, and sulfur")
# with the same four choices, so neither is unseen text once the other is indexed.
CONTROL_TEMPLATE_ITEMS = 20
PASSAGE_NGRAM_SIZE = 10
# A question alike in this share of its words (difflib) to one of its subject is that question edited.
CONTROL_MAX_SIMILARITY = 0.8
MMLU_PREFIX = "mmlu/"
EDIT_VARIANTS = ("verbatim", "format", "1 word", "2 words", "3 words")
_WORD = re.compile(r"\S+")


def question_of(item: BenchmarkItem) -> str:
    """An MMLU item's question (its first field)."""
    return item.fields[0][1]


def choices_of(item: BenchmarkItem) -> list[str]:
    """An MMLU item's choices (its other fields; none if they were only labels)."""
    return [text for _, text in item.fields[1:]]


@dataclass(frozen=True, slots=True)
class PlantedPage:
    """An article with one MMLU item written into it: a target (edited per `variant`) or a held-out control."""

    article_id: str
    item: BenchmarkItem
    variant: str  # one of EDIT_VARIANTS, or "control"
    text: str


@dataclass(frozen=True, slots=True)
class PlantedSet:
    """Pages with targets in every variant, pages with controls, and the controls' (benchmark, item_id)."""

    targets: list[PlantedPage]
    controls: list[PlantedPage]
    held_out: frozenset[tuple[str, str]]


def read_articles(ground_truth: Path) -> list[tuple[str, str]]:
    """(id, article text) of every article of an AEB ground-truth file, by id."""
    truth = json.loads(ground_truth.read_text(encoding="utf-8"))
    return [(key, truth[key]["articleBody"]) for key in sorted(truth)]


def quiz_text(question: str, choices: Sequence[str]) -> str:
    """An item as a quiz page prints it: the question, then the lettered choices, one a line."""
    return "\n".join([question, *(f"{letter}. {choice}" for letter, choice in zip("ABCD", choices, strict=False))])


def reformatted(text: str) -> str:
    """The same words in other case, spacing and punctuation: what a page's template does to a quoted item."""
    return "  ".join(f"“{word.upper()}”," if i % 3 == 0 else word.title() for i, word in enumerate(text.split()))


def edited(question: str, edits: int, replacements: Sequence[str], rng: random.Random) -> str:
    """`question` with `edits` distinct words (chosen at random) replaced by other words from `replacements`."""
    words = _WORD.findall(question)
    for position in rng.sample(range(len(words)), min(edits, len(words))):
        original = words[position].lower()
        words[position] = rng.choice([w for w in replacements if w.lower() != original])
    return " ".join(words)


def planted(article: str, block: str, rng: random.Random) -> str:
    """`block` inserted after a random paragraph of `article` (or at its end)."""
    paragraphs = article.split("\n\n")
    at = rng.randint(1, len(paragraphs))
    return "\n\n".join([*paragraphs[:at], block, *paragraphs[at:]])


def items_repeating_others(items: Sequence[BenchmarkItem], template_items: int = CONTROL_TEMPLATE_ITEMS
                           ) -> set[tuple[str, str]]:
    """The items that share a word n-gram (`PASSAGE_NGRAM_SIZE`) with at least one and fewer than `template_items`
    other items: a passage several questions are about, or a question asked twice. Such an item is not unseen text
    once the others are indexed, so it cannot be a control; an n-gram in `template_items` items or more is a
    template (an instruction), which a control may share."""
    holders: dict[int, set[tuple[str, str]]] = {}
    for item in items:
        for hashed, _ in item_ngrams(item, PASSAGE_NGRAM_SIZE):
            holders.setdefault(hashed, set()).add((item.benchmark, item.item_id))
    return {key for keys in holders.values() if 1 < len(keys) < template_items for key in keys}


def question_words(item: BenchmarkItem) -> list[str]:
    """The words of an item's question as matching sees them (normalised), for `near_duplicate`."""
    return normalized_for_matching(question_of(item)).split(" ")


def near_duplicate(words: list[str], others: Iterable[list[str]], similarity: float = CONTROL_MAX_SIMILARITY) -> bool:
    """Whether a question's `words` are, in order, at least `similarity` alike (difflib's ratio) to those of one of
    `others`: then it is another question edited in a word or two (MMLU asks for "the ring Z_3 x Z_3" and for
    "Z_3 x 3Z", for the share of agriculture in "total US GDP" and in "total Indian GDP"), which is what the edited
    targets are, not a control."""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(words)
    for other in others:
        if other is words:
            continue
        matcher.set_seq1(other)
        if (matcher.real_quick_ratio() >= similarity and matcher.quick_ratio() >= similarity
                and matcher.ratio() >= similarity):
            return True
    return False


def planted_set(items: Sequence[BenchmarkItem], articles: list[tuple[str, str]], targets: int,
                seed: int) -> PlantedSet:
    """Of `items` (every benchmark, as the pipeline indexes them), `targets` random MMLU items, each planted in every
    variant of `EDIT_VARIANTS` into one article (articles taken in turn), and up to as many controls (for each
    target, another item of its subject that repeats no other item's text but templates and is no near duplicate,
    held out of the index) planted into the same articles."""
    rng = random.Random(seed)
    mmlu = [item for item in items if item.benchmark.startswith(MMLU_PREFIX)]
    # Over every benchmark: an MMLU question can be another benchmark's too (one of MATH's, say).
    repeating = items_repeating_others(items)
    # A question asked word for word by another item (MMLU asks some in two subjects) is no control either.
    question_counts = Counter(normalized_for_matching(question_of(item)) for item in items)
    by_subject: dict[str, list[BenchmarkItem]] = {}
    for item in mmlu:
        by_subject.setdefault(item.benchmark, []).append(item)
    chosen = rng.sample(mmlu, targets)
    chosen_keys = {(item.benchmark, item.item_id) for item in chosen}
    # Replacement words: the articles' own (some articles are too short or not in Latin script to have any).
    words = sorted({word for _, article in articles for word in re.findall(r"[A-Za-z]{4,}", article)})
    target_pages, control_pages, held_out = [], [], set()
    subject_words: dict[str, list[list[str]]] = {}  # the words of every item of a subject, once a control needs them
    for number, item in enumerate(chosen):
        article_id, article = articles[number % len(articles)]
        for variant in EDIT_VARIANTS:
            question = question_of(item)
            if variant == "format":
                question = reformatted(question)
            elif variant != "verbatim":
                question = edited(question, int(variant.split()[0]), words, rng)
            choices = [reformatted(c) for c in choices_of(item)] if variant == "format" else choices_of(item)
            target_pages.append(PlantedPage(article_id, item, variant, planted(article, quiz_text(question, choices),
                                                                              rng)))
        subject = by_subject[item.benchmark]
        if item.benchmark not in subject_words:
            subject_words[item.benchmark] = [question_words(o) for o in subject]
        words_of = dict(zip(map(id, subject), subject_words[item.benchmark], strict=True))
        others = [o for o in subject if (o.benchmark, o.item_id) not in chosen_keys | held_out | repeating
                  and question_counts[normalized_for_matching(question_of(o))] == 1]
        rng.shuffle(others)
        control = next((o for o in others if not near_duplicate(words_of[id(o)], subject_words[item.benchmark])),
                       None)
        if control is None:  # high_school_european_history: every item is about a passage other items share
            continue
        held_out.add((control.benchmark, control.item_id))
        control_pages.append(PlantedPage(article_id, control, "control",
                                         planted(article, quiz_text(question_of(control), choices_of(control)), rng)))
    return PlantedSet(target_pages, control_pages, frozenset(held_out))
