"""Decontamination: the shared evaluation sets indexed, and pages matched against them."""
