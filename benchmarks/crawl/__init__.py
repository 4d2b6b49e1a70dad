"""The crawler measured against a real documentation site served on loopback."""
