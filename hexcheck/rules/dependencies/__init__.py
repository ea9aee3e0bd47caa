"""Dependency direction: which module may import which (HEX101-HEX104)."""
