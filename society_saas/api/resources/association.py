"""The association's scope: societies and the overview figures (read)."""
from flask_smorest import abort
from sqlalchemy import select

from society_saas.api.schemas import PageArgs, SocietyPageSchema, SocietySchema
from society_saas.api.schemas import OverviewRowSchema, ResultSchema, SchemeSchema
from society_saas.api.web import association_blueprint, rule
from society_saas.core.pagination import paginate
from society_saas.tenancy.models import Society
from society_saas.tenancy.web import society_by_slug

bp = association_blueprint("api_association", __name__, "", "The association's view of its societies.")


@bp.get("/societies")
@bp.arguments(PageArgs, location="query")
@bp.response(200, SocietyPageSchema)
@rule("association.view")
def list_societies(args):
    """Every society under the association, by slug."""
    page = paginate(select(Society).order_by(Society.slug, Society.id), args["page"], args["per_page"])
    return {"items": page.items, "total": page.total, "page": page.number, "per_page": page.per_page,
            "pages": page.pages}


@bp.get("/overview")
@bp.response(200, OverviewRowSchema(many=True))
@rule("association.view")
def overview():
    """Every society's figures as on the console's overview (members, renewal, meetings, composition, chain,
    reports, requests, activities, dues), computed by the same set-based queries."""
    from society_saas.oversight import queries
    from society_saas.oversight.activities import today
    from society_saas.tenancy import services as tenancy

    return queries.overview(tenancy.list_societies(), today(), every=True)


@bp.get("/societies/<society_slug>")
@bp.response(200, SocietySchema)
@rule("association.view")
def get_society(society_slug: str):
    """One society."""
    society = society_by_slug(society_slug)
    if society is None:
        abort(404)
    return society


@bp.get("/assessment-schemes")
@bp.response(200, SchemeSchema(many=True))
@rule("association.view")
def list_schemes():
    """Every year's assessment scheme, newest first."""
    from society_saas.oversight import assessment

    return assessment.list_schemes()


@bp.get("/assessment-schemes/<uuid:scheme_id>/results")
@bp.response(200, ResultSchema(many=True))
@rule("association.view")
def scheme_results(scheme_id):
    """The finalised ranking of a scheme across societies (empty until it is finalised)."""
    from society_saas.oversight import assessment, scoring

    scheme = assessment.get_scheme(scheme_id)
    if scheme is None:
        abort(404)
    return scoring.ranking(scheme)
