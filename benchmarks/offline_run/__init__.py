"""`make run` end to end over a real documentation site on loopback: the README's funnel, regenerated."""
