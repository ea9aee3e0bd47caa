"""HEX104 import-cycle: First-party modules form a cycle of module-level runtime imports."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Hop, Severity
from hexcheck.rules.base import Rule, location


class ImportCycle(Rule):
    code = "HEX104"
    name = "import-cycle"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "First-party modules form a cycle of module-level runtime imports."
    subject = "modules stay out of import cycles"
    why = (
        "A cycle of imports means none of its modules can be understood, tested or "
        "loaded alone; which one runs first depends on who imports whom first, and a "
        "harmless reordering turns into an `ImportError` on a partially initialised "
        "module. In a hexagon, a cycle almost always hides a dependency pointing the "
        "wrong way. Imports under `TYPE_CHECKING` and inside functions do not run at "
        "import time and are not counted."
    )
    how_to_fix = (
        "Find the import in the cycle that points outwards or sideways and remove it: "
        "move the shared piece into a module both can import, depend on an abstraction, "
        "or, for type hints only, import under `if TYPE_CHECKING:`.\n\n"
        "Before: `app/domain/order.py` does `from app.domain.customer import Customer` "
        "and `app/domain/customer.py` does `from app.domain.order import Order`.\n\n"
        "After: `customer.py` keeps `from typing import TYPE_CHECKING` and "
        "`if TYPE_CHECKING: from app.domain.order import Order`, with the annotation "
        'written `"Order"`.'
    )
    valid = (
        """\
# file: app/domain/order.py
from app.domain.customer import Customer
# file: app/domain/customer.py
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.order import Order
""",
        """\
# file: app/domain/order.py
from app.domain.customer import Customer
# file: app/domain/customer.py
def orders():
    from app.domain.order import Order
""",
    )
    invalid = (
        """\
# file: app/domain/order.py
from app.domain.customer import Customer
# file: app/domain/customer.py
from app.domain.order import Order  # error: HEX104
""",
        """\
# file: app/services/a.py
import app.services.b  # error: HEX104
# file: app/services/b.py
from app.services import c
# file: app/services/c.py
from . import a
# file: app/services/__init__.py
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(model.modules)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        # The model rotates each cycle to start at its alphabetically first module, so the
        # finding lands in the same place whatever order the files were read in.
        for cycle in model.cycles():
            first = cycle[0]
            facts = model.modules[first.importer]
            path = " -> ".join([first.importer, *(edge.imported for edge in cycle)])
            hops = tuple(
                Hop(edge.importer, edge.imported, location(model.modules[edge.importer], edge.fact.span))
                for edge in cycle
            )
            yield self.finding(facts, first.fact.span, f"import cycle: {path}", path, model, hops)
