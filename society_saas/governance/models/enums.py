"""The vocabularies of governance (DOMAIN.md, "Governance structure")."""
import enum


class OrganType(str, enum.Enum):
    """The bodies of a society."""

    general_assembly = "general_assembly"  # 会员(代表)大会
    council = "council"  # 理事会
    standing_council = "standing_council"  # 常务理事会
    supervisory_board = "supervisory_board"  # 监事会
    secretariat = "secretariat"  # 秘书处
    branch = "branch"  # 分支机构
    party_organisation = "party_organisation"  # 党组织


# Organs whose members are elected for a term (届).
ELECTED_ORGANS = frozenset({OrganType.general_assembly, OrganType.council, OrganType.standing_council,
                            OrganType.supervisory_board, OrganType.branch})


class BranchSubtype(str, enum.Enum):
    """Kinds of branch (分支机构)."""

    specialist = "specialist"  # 专业委员会
    youth = "youth"  # 青年工作委员会
    popular_science = "popular_science"  # 科学普及专业委员会
    other = "other"


class PartyType(str, enum.Enum):
    """Party branch classification (004 §5)."""

    A = "A"
    B = "B"
    C = "C"


class PositionRole(str, enum.Enum):
    """A role held within a term of an organ."""

    president = "president"  # 理事长
    vice_president = "vice_president"  # 副理事长
    secretary_general = "secretary_general"  # 秘书长
    deputy_secretary_general = "deputy_secretary_general"  # 副秘书长
    standing_council_member = "standing_council_member"  # 常务理事
    council_member = "council_member"  # 理事
    chief_supervisor = "chief_supervisor"  # 监事长
    supervisor = "supervisor"  # 监事
    branch_chair = "branch_chair"  # 分支机构主任委员
    secretariat_staff = "secretariat_staff"  # 秘书处工作人员
    delegate = "delegate"  # 会员代表


# Which organ a role belongs to.
ROLE_ORGANS = {
    PositionRole.president: {OrganType.council, OrganType.standing_council},
    PositionRole.vice_president: {OrganType.council, OrganType.standing_council},
    PositionRole.secretary_general: {OrganType.council, OrganType.standing_council, OrganType.secretariat},
    PositionRole.deputy_secretary_general: {OrganType.secretariat, OrganType.council},
    PositionRole.standing_council_member: {OrganType.standing_council, OrganType.council},
    PositionRole.council_member: {OrganType.council},
    PositionRole.chief_supervisor: {OrganType.supervisory_board},
    PositionRole.supervisor: {OrganType.supervisory_board},
    PositionRole.branch_chair: {OrganType.branch},
    PositionRole.secretariat_staff: {OrganType.secretariat},
    PositionRole.delegate: {OrganType.general_assembly},
}
COUNCIL_ROLES = frozenset({PositionRole.president, PositionRole.vice_president, PositionRole.secretary_general,
                           PositionRole.standing_council_member, PositionRole.council_member})
SUPERVISORY_ROLES = frozenset({PositionRole.chief_supervisor, PositionRole.supervisor})


class Gender(str, enum.Enum):
    """Holder's gender, a snapshot for composition rules."""

    male = "male"
    female = "female"


class Region(str, enum.Enum):
    """Where the holder comes from (境外: everything but mainland)."""

    mainland = "mainland"
    hk = "hk"
    macao = "macao"
    taiwan = "taiwan"
    foreign = "foreign"


class MeetingKind(str, enum.Enum):
    """Regular or extraordinary meeting."""

    regular = "regular"
    extraordinary = "extraordinary"


class MeetingForm(str, enum.Enum):
    """How the meeting was held."""

    in_person = "in_person"
    online = "online"
    written = "written"


class AttendanceStatus(str, enum.Enum):
    """One attendee's presence."""

    present = "present"
    absent = "absent"
    proxy = "proxy"


class RenewalStatus(str, enum.Enum):
    """The states of a renewal (换届)."""

    preparing = "preparing"
    submitted = "submitted"  # plan and candidates await the association's pre-review
    returned = "returned"  # returned with comments; the society resubmits
    approved = "approved"  # pre-review passed
    assembly_held = "assembly_held"  # the general assembly elected the new organs
    filed = "filed"  # results filed with the association
    postponement_requested = "postponement_requested"
    postponed = "postponed"


class CompositionAttribute(str, enum.Enum):
    """Attributes a composition rule measures."""

    front_line = "front_line"
    under_45 = "under_45"
    female = "female"
    non_mainland = "non_mainland"


class Comparison(str, enum.Enum):
    """How the share compares with the threshold."""

    ge = ">="
    le = "<="
