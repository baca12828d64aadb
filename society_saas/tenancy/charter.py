"""Changing a society's charter settings after provisioning, as its general assembly adopted them: the same
bounds as the provisioning file, every problem named by field, and the change with its basis in the audit log."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from society_saas.core.audit import log_event
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.tenancy.provision import CHARTER_FRACTIONS, CHARTER_INTS

EDITABLE = (*CHARTER_INTS, *CHARTER_FRACTIONS, "proxy_allowed", "large_fund_threshold_fen")
MAX_THRESHOLD_FEN = 10**14


def charter_of(society) -> dict:
    """The society's own charter settings (without the defaults that fill what it leaves out)."""
    return dict(((society.settings or {}).get("charter") or {}))


def update_charter(actor, society, data: dict) -> dict:
    """Replace the editable charter settings (a blank leaves the model charter's default) and record why;
    nothing changes when any value is refused."""
    errors: dict[str, list[str]] = {}
    before = charter_of(society)
    after = {k: v for k, v in before.items() if k not in EDITABLE}  # e.g. majority_by_kind stays as provisioned
    for key, (low, high) in CHARTER_INTS.items():
        text = str(data.get(key) or "").strip()
        if not text:
            continue
        if not re.fullmatch(r"\d{1,3}", text) or not low <= int(text) <= high:
            errors[key] = [_("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)]
        else:
            after[key] = int(text)
    for key in CHARTER_FRACTIONS:
        text = str(data.get(key) or "").replace(" ", "").replace("／", "/")
        if not text:
            continue
        found = re.fullmatch(r"(\d{1,3})/(\d{1,3})", text)
        if not found or not 0 < int(found[1]) <= int(found[2]):
            errors[key] = [_("Enter a share such as 2/3 (more than 0, at most 1).")]
        else:
            after[key] = text
    threshold = str(data.get("large_fund_threshold") or "").replace(",", "").replace("，", "").strip()
    if threshold:
        try:
            fen = int((Decimal(threshold) * 100).to_integral_value())
        except InvalidOperation:
            fen = None
        if fen is None or not 0 < fen <= MAX_THRESHOLD_FEN:
            errors["large_fund_threshold"] = [_("Enter an amount in yuan greater than 0.")]
        else:
            after["large_fund_threshold_fen"] = fen
    if data.get("proxy_allowed"):
        after["proxy_allowed"] = True
    basis = str(data.get("basis") or "").strip()
    if not basis:
        errors["basis"] = [_("Say which assembly or approval adopted these settings.")]
    elif len(basis) > 300:
        errors["basis"] = [_("At most %(n)d characters.", n=300)]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    if after != before:
        society.settings = {**(society.settings or {}), "charter": after}  # a new dict: the JSON column sees the change
        log_event(society.id, actor, "charter", "Society", before=before, after={**after, "basis": basis})
        db.session.flush()
    return after
