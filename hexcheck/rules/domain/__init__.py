"""The domain model: entities guard their invariants with domain exceptions (HEX201-HEX203).

What the rules read as an entity or value object is SPEC §1's: a `@dataclass` in the
domain layer. Three kinds of domain dataclass are left alone, because there is nothing a
constructor check could protect:

- messages: domain events and commands, that is classes deriving from a marker base
  (`Event`, `DomainEvent`, `Command`, `Message`, ... first-party or not) or living in a
  module named `events`/`commands`/`messages`. They record what happened or what is
  asked; the aggregate that raises an event and the handler that takes a command do the
  checking. A class's own name is not enough: a `CalendarEvent` entity has invariants.
- exceptions that happen to be dataclasses;
- dataclasses whose every field is `field(init=False)`, or built with `init=False`: no
  value reaches them through the generated constructor.
"""
