"""Importing this module loads the English word tokenizer (spaCy and its English rules: 2-3 s of imports).

The step executor's fork server preloads it (`corpus_assets.definitions.STEP_PRELOAD`), so a `filtered_text` step
forked from it starts with the tokenizer of the default language loaded instead of importing spaCy again.
"""

from corpus_assets.quality.words import word_tokenizer

word_tokenizer("en").split_into_words("Loaded once, before the fork.")
