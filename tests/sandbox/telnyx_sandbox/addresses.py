"""Emergency-address checks: input validation, a deterministic "postal" normaliser and its verdict.

Real validation is a postal service lookup; this one is rule-based so tests can predict it:
upper-case, a few USPS street abbreviations, collapsed spaces; a street is invalid when it has
no leading house number or contains the word "Unknown".
"""
from __future__ import annotations

import re

from . import errors

ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

STRING_FIELDS = ("first_name", "last_name", "business_name", "street_address", "extended_address", "locality",
                 "administrative_area", "neighborhood", "borough", "postal_code", "country_code",
                 "customer_reference", "phone_number")
BOOL_FIELDS = ("address_book", "validate_address")
CREATE_REQUIRED = ("first_name", "last_name", "business_name", "street_address", "locality", "country_code")
VALIDATE_REQUIRED = ("country_code", "street_address", "postal_code")
VALIDATE_FIELDS = ("country_code", "street_address", "extended_address", "locality", "administrative_area", "postal_code")

POSTAL_PATTERNS = {
    "US": re.compile(r"^\d{5}(-\d{4})?$"),
    "CA": re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$"),
}
ABBREVIATIONS = {"AVENUE": "AVE", "STREET": "ST", "ROAD": "RD", "BOULEVARD": "BLVD", "SUITE": "STE"}
_ABBREVIATION_RE = re.compile(r"\b(%s)\b" % "|".join(ABBREVIATIONS))

INVALID_STREET = ("20207", "Invalid street address", "The street address provided is invalid.")


def check_input(body: dict, required: tuple) -> list[dict]:
    """Types, required fields, ISO country and US/CA postal patterns; a list of 422 error items."""
    problems = []
    for field in required:
        value = body.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(errors.missing(field, "/" + field))
    for field in STRING_FIELDS:
        if body.get(field) is not None and not isinstance(body[field], str):
            problems.append(errors.invalid("%s must be a string." % field, pointer="/" + field))
    for field in BOOL_FIELDS:
        if field in body and not isinstance(body[field], bool):
            problems.append(errors.invalid("%s must be a boolean." % field, pointer="/" + field))
    if problems:
        return problems
    country = (body.get("country_code") or "").upper()
    if body.get("country_code") and country not in ISO_COUNTRIES:
        problems.append(errors.invalid("country_code must be an ISO 3166-1 alpha-2 code.", pointer="/country_code"))
    pattern = POSTAL_PATTERNS.get(country)
    if pattern and body.get("postal_code") and not pattern.match(body["postal_code"].strip()):
        problems.append(errors.invalid("postal_code is not a valid postal code for %s." % country, pointer="/postal_code"))
    return problems


def _collapse(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _street(value: str) -> str:
    return _ABBREVIATION_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], _collapse(value).upper())


def _postal(value: str, country: str) -> str:
    value = _collapse(value).upper()
    if country == "CA" and len(value) == 6:
        value = value[:3] + " " + value[3:]
    return value


def normalise(body: dict) -> dict:
    """The normalised form of each address field present in ``body``."""
    country = (body.get("country_code") or "").upper()
    rules = {
        "street_address": _street,
        "extended_address": _street,
        "locality": lambda v: _collapse(v).upper(),
        "administrative_area": lambda v: _collapse(v).upper(),
        "postal_code": lambda v: _postal(v, country),
        "country_code": lambda v: _collapse(v).upper(),
    }
    return {field: rule(body[field]) for field, rule in rules.items() if isinstance(body.get(field), str)}


def street_is_valid(street: str) -> bool:
    return bool(re.match(r"^\s*\d", street)) and not re.search(r"\bunknown\b", street, re.IGNORECASE)


def suggestions(body: dict) -> dict:
    """Fields whose normalised value differs from what was sent: what the API would suggest."""
    return {field: value for field, value in normalise(body).items() if value != body[field]}


def creation_errors(body: dict) -> list[dict]:
    """Errors of a create with validate_address=true, or [] when the address is acceptable."""
    if street_is_valid(body["street_address"]):
        return []
    items = [errors.error("10015", "Invalid address", "%s: suggested value '%s'" % (field, value),
                          pointer="/" + field, meta={"suggestion": value})
             for field, value in suggestions(body).items()]
    code, title, detail = INVALID_STREET
    items.append(errors.error(code, title, detail, pointer="/street_address"))
    return items


def validation_result(body: dict) -> dict:
    """The ``data`` of POST /addresses/actions/validate (ValidateAddressResult)."""
    problems = []
    if not street_is_valid(body["street_address"]):
        code, title, description = INVALID_STREET
        problems.append({"code": code, "title": title, "description": description,
                         "source": {"pointer": "/street_address"}})
    return {
        "result": "invalid" if problems else "valid",
        "suggested": {k: v for k, v in normalise(body).items() if k in VALIDATE_FIELDS},
        "errors": problems,
        "record_type": "address_validation",
    }
