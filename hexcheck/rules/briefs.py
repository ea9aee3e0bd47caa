"""Each rule's why and fix in one sentence: what the terminal review prints under a rule.

A reviewer says the reason once and briefly; the full texts (`Rule.why`,
`Rule.how_to_fix`) are one `hexcheck explain CODE` or `--explain` away. The sentences
live here, side by side, so that they read as one voice and stay short (a test holds
each to one sentence of at most 100 characters); `docs/rules/` shows them too.
"""

from __future__ import annotations

import re

from hexcheck.rules.base import Rule

# code -> (why it matters, how to fix it)
BRIEFS: dict[str, tuple[str, str]] = {
    "HEX101": (
        "Inner layers that import outer ones cannot be tested or reused without them.",
        "Declare a port in the inner layer and implement it in the outer one.",
    ),
    "HEX102": (
        "A framework in an inner layer ties the business rules to that framework.",
        "Keep the package at the edge: a DTO in web, an adapter behind a port.",
    ),
    "HEX103": (
        "A helper outside every layer smuggles an outer layer into an inner one.",
        "Cut the chain at the hop that should not be there, usually in the helper.",
    ),
    "HEX104": (
        "Modules in an import cycle cannot be understood, tested or loaded alone.",
        "Move the shared piece into a module both import, or depend on a port.",
    ),
    "HEX105": (
        "A folder named for one layer that holds another misleads every reader, and the checks.",
        "Move the package to the layer its code belongs to, or rename it.",
    ),
    "HEX201": (
        "An entity that can be built invalid makes every caller check it, and one will not.",
        "Validate every field in `__post_init__` or type it with a value object.",
    ),
    "HEX202": (
        "A `__post_init__` that only normalises lets every invalid state through.",
        "After normalising, check the result and raise a domain exception.",
    ),
    "HEX203": (
        "A built-in exception cannot be told apart from a bug when it is mapped to HTTP.",
        "Raise a subclass of one `DomainError` from `domain/exceptions.py`.",
    ),
    "HEX301": (
        "A concrete port makes the application depend on one implementation.",
        "Derive the port from `ABC` with `@abstractmethod`s, or declare a `Protocol`.",
    ),
    "HEX302": (
        "Code in a port is behaviour every adapter inherits whether it fits or not.",
        "Leave the method abstract and move the code into the adapters.",
    ),
    "HEX303": (
        "Every port method is one more method each adapter and test fake must implement.",
        "Split the port along the way its callers use it.",
    ),
    "HEX304": (
        "A port nobody implements is dead, or implemented where nothing checks it.",
        "Write the adapter in infrastructure and wire it, or delete the port.",
    ),
    "HEX401": (
        "A use case is one thing the application does; more entry points blur which.",
        "Make each extra public method a use case of its own, or private.",
    ),
    "HEX402": (
        "A use case that builds its own adapter cannot be tested or rewired without it.",
        "Take the collaborator as an `__init__` parameter typed with its port.",
    ),
    "HEX403": (
        "An untyped or adapter-typed dependency hides what the use case needs.",
        "Annotate every collaborator with the port it needs.",
    ),
    "HEX501": (
        "A use case may call any method of its port; a missing one fails at run time.",
        "Implement the missing methods in the adapter.",
    ),
    "HEX502": (
        "Use cases call the port: an adapter with another signature breaks them at run time.",
        "Give the adapter method exactly the port method's parameters and `async`.",
    ),
    "HEX503": (
        "A coroutine that is never awaited never runs, and its errors vanish.",
        "Await the call, or schedule it as a task and keep a reference to it.",
    ),
    "HEX504": (
        "Driver errors that leak through a port tie the application to the driver.",
        "Catch the driver's errors in the adapter and raise a first-party exception.",
    ),
    "HEX505": (
        "A blocking call in `async def` stalls every request the process serves.",
        "Use the async counterpart, or `await asyncio.to_thread(...)`.",
    ),
    "HEX506": (
        "Motor is deprecated since 14 May 2025 and reaches end of life on 14 May 2026.",
        "Move to PyMongo's `AsyncMongoClient`; await `aggregate()` and `watch()`.",
    ),
    "HEX601": (
        "Logic in a route handler is business logic no use case or test can reach.",
        "Move the logic into a use case; keep the handler to map, execute, map.",
    ),
    "HEX602": (
        "A handler that skips the use case skips the rules that live there.",
        "Inject a use case that does the work through a port.",
    ),
    "HEX603": (
        "A domain class in a route's signature makes the entity the public API.",
        "Declare a Pydantic DTO in the web layer and map to and from the entity.",
    ),
    "HEX604": (
        "A loosely typed DTO field lets any shape in and documents nothing.",
        "Give the field its real type: a nested DTO, `list[str]`, a `Literal`.",
    ),
    "HEX605": (
        "An unmapped domain exception reaches the client as a 500 error.",
        "Register an exception handler that maps it to a 4xx answer.",
    ),
    "HEX606": (
        "HTTP status codes outside the web layer tie the core to HTTP.",
        "Raise a domain exception and map it to a status code in the web layer.",
    ),
    "HEX607": (
        "A write route without a security dependency is open to anyone who reaches it.",
        "Add the security dependency to the route, or once to its router.",
    ),
    "HEX608": (
        "An uncached provider builds its object again for every request.",
        "Decorate the provider with `@functools.lru_cache`.",
    ),
    "HEX609": (
        "Building an entity inside a handler hides a translation that has rules.",
        "Move the construction into a mapper and call it from the handler.",
    ),
    "HEX900": (
        "A file hexcheck cannot parse is a file none of its rules checked.",
        "Fix the syntax error, or exclude generated and vendored files.",
    ),
    "HEX901": (
        "A suppression that silences nothing hides the next real finding on its line.",
        "Delete the comment, or the codes in it that suppress nothing.",
    ),
}


def brief(rule: type[Rule]) -> tuple[str, str]:
    """The rule's why and fix in one sentence each; for a rule without an entry, the
    first sentence of each full text."""
    return BRIEFS.get(rule.code) or (first_sentence(rule.why), first_sentence(rule.how_to_fix))


def first_sentence(text: str) -> str:
    paragraph = " ".join(text.split("\n\n")[0].split())
    found = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    return found.group(1) if found else paragraph
