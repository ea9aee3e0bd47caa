"""Findings about hexcheck's own work: files it could not read (HEX900), suppressions
that suppress nothing (HEX901)."""
