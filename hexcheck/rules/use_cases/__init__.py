"""Use cases: single-purpose, with their dependencies injected and typed (HEX401-HEX403)."""
