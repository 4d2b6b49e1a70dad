"""Tests of the safety filters: the URL blocklist and the word-list obscenity rule."""
