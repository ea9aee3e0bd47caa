"""hexcheck's version: in reports, cache keys and the package metadata."""

VERSION = "0.1.0"
