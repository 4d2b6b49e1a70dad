"""The Great Expectations suites and the write-audit-publish gate that every stage publishes through."""
