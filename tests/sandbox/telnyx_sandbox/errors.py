"""Telnyx error bodies: one exception type, rendered per resource as the OpenAPI document says."""
from __future__ import annotations

DOCS_URL = "https://developers.telnyx.com/docs/overview/errors/"

# Default (code, title, detail) per HTTP status, used for 404s, 401s and injected faults.
STATUS_ERRORS = {
    400: ("10015", "Bad Request", "The request could not be understood."),
    401: ("10009", "Authentication failed", "The API key is missing or invalid."),
    403: ("10010", "Authorization failed", "You are not authorized to perform this action."),
    404: ("10005", "Resource not found", "The requested resource or URL could not be found."),
    405: ("10015", "Method not allowed", "The method is not allowed for this resource."),
    408: ("10008", "Request timeout", "The request took too long to complete."),
    409: ("10012", "Resource conflict", "The resource is in conflict or in use."),
    422: ("10015", "Bad Request", "The request failed validation."),
    429: ("10011", "Too many requests", "You have exceeded the maximum number of allowed requests."),
}
FALLBACK_ERROR = ("10007", "Unexpected error", "An unexpected error occurred.")


def error(code: str, title: str, detail: str, pointer: str | None = None,
          parameter: str | None = None, meta: dict | bool | None = None) -> dict:
    """One item of an ``errors`` array, JSON:API style as Telnyx sends it.

    ``meta`` defaults to the documentation link of D-err's example; ``False`` leaves it out.
    """
    item = {"code": code, "title": title, "detail": detail}
    if pointer is not None:
        item["source"] = {"pointer": pointer}
    elif parameter is not None:
        item["source"] = {"parameter": parameter}
    if meta is None:
        meta = {"url": DOCS_URL + code}
    if meta is not False:
        item["meta"] = meta
    return item


# D-rate and the brief give these two bodies verbatim, without meta.
EXACT_BODIES = (401, 429)


def status_error(status: int, detail: str | None = None) -> dict:
    code, title, default_detail = STATUS_ERRORS.get(status, FALLBACK_ERROR)
    return error(code, title, detail or default_detail, meta=False if status in EXACT_BODIES else None)


def missing(field: str, pointer: str) -> dict:
    return error("10004", "Missing required parameter", "%s is required." % field, pointer=pointer)


def invalid(detail: str, pointer: str | None = None, parameter: str | None = None) -> dict:
    return error("10015", "Bad Request", detail, pointer=pointer, parameter=parameter)


class ApiError(Exception):
    """An API answer with a Telnyx error body; ``errors`` is a list built by the helpers above."""

    def __init__(self, status: int, errors: list[dict] | dict | None = None):
        super().__init__(status)
        self.status = status
        if errors is None:
            errors = [status_error(status)]
        self.errors = errors if isinstance(errors, list) else [errors]


def render(errors: list[dict], status: int, style: str = "full") -> dict:
    """Shape the body for one resource.

    ``plain``: integration secrets document only code/title/detail.
    ``int-codes``: billing groups declare ``code`` as an integer for 403/404/409/422
    (``billing-group_Error``); their 400/default responses use string codes.
    """
    out = []
    for item in errors:
        item = dict(item)
        if style == "plain":
            item = {k: item[k] for k in ("code", "title", "detail") if k in item}
        elif style == "int-codes" and status in (403, 404, 409, 422):
            item["code"] = int(item["code"])
        out.append(item)
    return {"errors": out}
