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
