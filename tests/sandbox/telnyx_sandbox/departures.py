"""The sandbox's deliberate departures from the OpenAPI subset ("S"): the one list of them.

The ``--spec`` validator applies each entry's spec patch (in memory) and counts the exchanges
that needed it; the conformance test uses the same patches; the README lists the same ids,
each with its reason (a test checks that). Standard library only: no openapi-core here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

ACCEPT_SUGGESTIONS = ("POST", "/addresses/{id}/actions/accept_suggestions")
# Errors the sandbox can answer where an operation declares neither the status nor a default:
# 400 (body not JSON), 401 (bad key, D-auth), 422 (validation, e.g. a token for an expired
# credential), 429 (rate limit, D-rate). Telnyx's generic error body (telnyx-api.md section 4).
UNDECLARED_ERROR_STATUSES = (400, 401, 422, 429)
GENERIC_ERRORS_REF = "#/components/schemas/invoice_Errors"
HTTP_METHODS = ("get", "post", "patch", "put", "delete")


@dataclass(frozen=True)
class Departure:
    id: str
    operations: tuple          # (METHOD, S path template) pairs, or ("*",) for every operation
    reason: str
    statuses: tuple = ()       # used only by answers with one of these statuses that S does not declare
    patch: Callable[[dict], None] | None = None  # changes a deep copy of S so the departure validates

    def touches(self, method: str, template: str) -> bool:
        return self.operations == ("*",) or (method.upper(), template) in self.operations


def _accept_suggestions_int64_id(spec: dict) -> None:
    operation = spec["paths"][ACCEPT_SUGGESTIONS[1]]["post"]
    for parameter in operation.get("parameters", []):
        parameter.get("schema", {}).pop("format", None)
    data = spec["components"]["schemas"]["AddressSuggestionResponse"]["properties"]["data"]
    data["properties"]["id"].pop("format", None)


def _declare_error_statuses(spec: dict) -> None:
    generic = {"description": "Telnyx error (sandbox departure: not declared by S)",
               "content": {"application/json": {"schema": {"$ref": GENERIC_ERRORS_REF}}}}
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            if "default" in responses:
                continue
            for status in UNDECLARED_ERROR_STATUSES:
                responses.setdefault(str(status), generic)


DEPARTURES = (
    Departure(
        id="accept-suggestions-int64-id",
        operations=(ACCEPT_SUGGESTIONS,),
        reason="S types accept_suggestions' path id and response data.id as format uuid, but Address.id is an "
               "int64 string; the sandbox keeps one id per address (the int64 form), so the uuid format is dropped.",
        patch=_accept_suggestions_int64_id,
    ),
    Departure(
        id="undeclared-error-statuses",
        operations=("*",),
        reason="S declares only some error statuses per operation; the sandbox answers 400 (body not JSON), "
               "401 (bad key, D-auth), 422 (validation) and 429 (rate limit, D-rate) wherever they arise, with "
               "Telnyx's generic error body, as the real API does for every endpoint.",
        statuses=UNDECLARED_ERROR_STATUSES,
        patch=_declare_error_statuses,
    ),
)


def departure_ids() -> list[str]:
    return [departure.id for departure in DEPARTURES]


def apply_patches(spec: dict) -> dict:
    """Patch ``spec`` in place with every departure's patch; returns it."""
    for departure in DEPARTURES:
        if departure.patch:
            departure.patch(spec)
    return spec
