"""Ports: abstract, minimal contracts that the infrastructure implements (HEX301-HEX304).

A port is SPEC §1's: a class in `domain`/`application` that is abstract, or that lives in
a `ports`/`repositories`/`gateways` module or package, or whose name ends in
`Repository`/`Port`/`Gateway` (data holders, exceptions and concrete implementations of
another port excluded; `roles.Roles.ports`). An abstract repository kept in an adapters
module (cosmicpython's `AbstractRepository` in `adapters/repository.py`) is outside the
inner layers and is no port by that definition.
"""
