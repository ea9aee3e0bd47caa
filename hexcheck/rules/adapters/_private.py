"""What several adapters rules share; nothing outside the family uses it."""

from __future__ import annotations

NOT_OVERRIDES = frozenset({"__init__", "__new__", "__init_subclass__", "__post_init__", "__class_getitem__"})
