"""What several dependencies rules share; nothing outside the family uses it."""

from __future__ import annotations

from hexcheck.analysis.model import Edge, ProjectModel


def counts(model: ProjectModel, edge: Edge) -> bool:
    """Whether an import edge counts for the layer rules under this configuration."""
    return not (edge.fact.type_checking and model.config.type_checking_imports == "allow")
