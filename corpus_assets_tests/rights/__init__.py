"""Tests of `corpus_assets.rights`: rights signals, licences and tdmrep.json."""
