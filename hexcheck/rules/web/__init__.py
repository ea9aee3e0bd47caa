"""Web layer: thin controllers, DTOs at the edge, errors mapped, routes secured (HEX601-HEX609).

What FastAPI code means (routers, dependencies, security) is hexcheck.semantics.fastapi.
"""
