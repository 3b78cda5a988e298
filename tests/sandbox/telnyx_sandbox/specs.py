"""The OpenAPI subset as the validators use it: strict, with the departures patched in (stdlib only)."""
from __future__ import annotations

import copy

from .departures import apply_patches

# Values, not schemas: a "properties" key inside an example is data.
NOT_SCHEMAS = ("example", "examples", "enum", "const", "default")


def strict_copy(spec: dict) -> dict:
    """A deep copy of ``spec`` where every object schema with ``properties`` and no ``additionalProperties``
    refuses undeclared properties: S leaves them open, so without this an invented field would pass.

    An empty ``properties: {}`` stays open: S writes "body not documented" that way (the providers'
    error responses), and closing it would forbid every body."""
    strict = copy.deepcopy(spec)

    def walk(node):
        if isinstance(node, dict):
            if node.get("properties") and isinstance(node["properties"], dict) and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for key, value in node.items():
                if key not in NOT_SCHEMAS:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(strict)
    return strict


def validation_spec(spec: dict) -> dict:
    """Strict copy of ``spec`` plus every departure's patch (``spec`` itself is left alone)."""
    return apply_patches(strict_copy(spec))
