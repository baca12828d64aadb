"""Provision a society from a TOML file in tenants/: validate every field, then create it."""
import re
import tomllib
from pathlib import Path

from sqlalchemy import select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.tenancy import services
from society_saas.tenancy.services import SLUG_PATTERN
from society_saas.tenancy.models import Society, SocietyKind

REQUIRED = ("slug", "name", "short_name", "kind")
OPTIONAL = ("registration_no", "supporting_unit", "discipline", "consortium", "contact_name", "contact_phone",
            "contact_email", "description")
CLASS_CODES = ("student", "member", "senior", "fellow", "institutional")
CHARTER_INTS = {"term_max_years": (1, 5), "max_consecutive_terms": (1, 10), "max_age_at_office": (40, 100),
                "council_meetings_per_year": (1, 12), "standing_council_interval_months": (1, 12)}
CHARTER_FRACTIONS = ("quorum", "majority")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def load_file(path: str | Path) -> dict:
    """Read a tenants/ file; a syntax error is reported as one error on the file."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ServiceError(f"{path}: {exc}", errors={"file": [str(exc)]})


def _fraction_ok(value) -> bool:
    if isinstance(value, str) and re.fullmatch(r"\d+/\d+", value):
        num, den = (int(x) for x in value.split("/"))
        return 0 < num <= den
    return isinstance(value, (int, float)) and 0 < value <= 1


def validate(data: dict) -> dict[str, list[str]]:
    """Every problem in the file, keyed by the field's path; empty when the file is valid."""
    errors: dict[str, list[str]] = {}

    def err(path, msg):
        errors.setdefault(path, []).append(msg)

    profile = data.get("society")
    if not isinstance(profile, dict):
        err("society", "the [society] table is missing")
        profile = {}
    for key in REQUIRED:
        if not str(profile.get(key) or "").strip():
            err(f"society.{key}", "is required")
    for key in profile:
        if key not in REQUIRED + OPTIONAL:
            err(f"society.{key}", "is not a known field")
    if profile.get("slug") and not re.fullmatch(SLUG_PATTERN, str(profile["slug"])):
        err("society.slug", "use up to 40 lower-case letters, digits or hyphens, starting with a letter")
    if profile.get("kind") and profile["kind"] not in {k.value for k in SocietyKind}:
        err("society.kind", "must be one of " + ", ".join(k.value for k in SocietyKind))
    if profile.get("contact_email") and not EMAIL.match(str(profile["contact_email"])):
        err("society.contact_email", "is not an email address")

    charter = data.get("charter", {})
    for key, (low, high) in CHARTER_INTS.items():
        if key in charter and not (isinstance(charter[key], int) and low <= charter[key] <= high):
            err(f"charter.{key}", f"must be a whole number from {low} to {high}")
    for key in CHARTER_FRACTIONS:
        if key in charter and not _fraction_ok(charter[key]):
            err(f"charter.{key}", 'must be a fraction such as "2/3"')
    if "large_fund_threshold_fen" in charter and not (
            isinstance(charter["large_fund_threshold_fen"], int) and charter["large_fund_threshold_fen"] > 0):
        err("charter.large_fund_threshold_fen", "must be a positive whole number of fen")

    seen = set()
    for i, cls in enumerate(data.get("member_classes", [])):
        path = f"member_classes[{i}]"
        code = cls.get("code")
        if code not in CLASS_CODES:
            err(f"{path}.code", "must be one of " + ", ".join(CLASS_CODES))
        elif code in seen:
            err(f"{path}.code", "appears twice")
        seen.add(code)
        for key in ("name_zh", "name_en"):
            if not str(cls.get(key) or "").strip():
                err(f"{path}.{key}", "is required")
        dues = cls.get("annual_dues_fen")
        if not (isinstance(dues, int) and not isinstance(dues, bool) and dues >= 0):
            err(f"{path}.annual_dues_fen", "must be a whole, non-negative number of fen")
    prefix = data.get("member_numbers", {}).get("prefix")
    if prefix is not None and not re.fullmatch(r"[A-Z]{1,8}", str(prefix)):
        err("member_numbers.prefix", "use 1-8 upper-case letters")
    return errors


def provision(data: dict, actor=None) -> Society:
    """Validate a tenant definition and create the society; nothing is written when it is invalid."""
    errors = validate(data)
    profile = data.get("society", {})
    if not errors:
        for field in ("slug", "name"):
            if db.session.scalar(select(Society.id).where(getattr(Society, field) == profile[field])):
                errors[f"society.{field}"] = [f"“{profile[field]}” is already used by another society"]
    if errors:
        raise ServiceError("the tenant file has errors", errors=errors)
    settings = {k: data[k] for k in ("charter", "member_classes", "member_numbers", "dues", "rules", "branding") if k in data}
    society = services.create_society(actor, {k: profile.get(k) for k in REQUIRED + OPTIONAL}, settings=settings)
    from society_saas.members.services import provision_classes
    from society_saas.tenancy.context import society_context

    with society_context(society.id):
        provision_classes(society, actor, data)
    return society
