"""The public certificate verification page: name, class, number and validity, nothing else."""
from flask import Blueprint, abort, render_template

from society_saas.members.certificate import verify

bp = Blueprint("member_verify", __name__, url_prefix="/verify")


@bp.get("/<token>")
def verify_page(token):
    """Show whether a certificate is genuine and current."""
    facts = verify(token)
    if facts is None:
        abort(404)
    return render_template("members/verify.html", facts=facts)
