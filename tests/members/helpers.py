"""Builders for member tests."""
from society_saas.extensions import db
from society_saas.members import services
from society_saas.tenancy.context import society_context
from society_saas.tenancy.provision import load_file

from pathlib import Path

CS_FILE = Path(__file__).resolve().parents[2] / "tenants" / "cs.toml"
VALID_IDS = ("11010519491231002X", "110101199003074477", "440305198507216019", "310104200001011239",
             "320102198811112225", "510107199505053337", "430102197808084447")


def with_classes(society):
    """Give a test society the demo classes and numbering of tenants/cs.toml, and commit."""
    with society_context(society.id):
        services.provision_classes(society, None, load_file(CS_FILE))
        db.session.commit()


def person(**overrides) -> dict:
    """A valid individual applicant's data."""
    data = {"name": "李华", "gender": "female", "mobile": "13800138000", "email": "lihua@example.cn",
            "work_unit": "示例大学", "professional_title": "副教授", "id_type": "resident_id",
            "id_number": "11010519491231002X", "class_code": "member", "front_line": True}
    data.update(overrides)
    return data


def member_fixture(society) -> dict:
    """One member and one open application in the society (made once), for isolation walks; ids by name."""
    from sqlalchemy import select

    from society_saas.members.models import Member, MemberApplication, MemberClass

    with society_context(society.id):
        if db.session.scalar(select(MemberClass.id)) is None:
            services.provision_classes(society, None, load_file(CS_FILE))
        member = db.session.scalar(select(Member))
        if member is None:
            data = person(id_number=VALID_IDS[6])
            data.pop("class_code")
            member = services.create_member(society, None, data, services.class_by_code("member"))
        application = db.session.scalar(select(MemberApplication))
        if application is None:
            application = services.submit_application(society, None, person(id_number=VALID_IDS[5], mobile="13900000001",
                                                                             attachments=[{"key": "x/none.pdf", "name": "a.pdf",
                                                                                           "type": "application/pdf", "size": 1}]))
        from society_saas.members.models import MemberRequest

        req = db.session.scalar(select(MemberRequest))
        if req is None:
            req = services.file_request(society, None, member, {"subject": "会费发票", "body": "请开具发票。"})
        db.session.commit()
        return {"member_id": member.id, "application_id": application.id, "request_id": req.id,
                "class_id": member.class_id}


def old_senior_application(society, **overrides):
    """A senior-member application filed before eligibility was checked on joining (as the old code accepted it)."""
    from society_saas.members.models import ApplicationKind, ApplicationStatus, MemberApplication

    with society_context(society.id):
        data = person(class_code="senior", professional_title="助理工程师", senior_title=False, **overrides)
        data.pop("class_code")
        row = MemberApplication(society_id=society.id, kind=ApplicationKind.join, status=ApplicationStatus.submitted,
                                applicant_name=data["name"], class_id=services.class_by_code("senior").id, data=data)
        db.session.add(row)
        db.session.commit()
        return row.id
