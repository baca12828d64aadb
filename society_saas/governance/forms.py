"""Forms of the governance pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from society_saas.governance.models import (
    BranchSubtype, Comparison, CompositionAttribute, Gender, MeetingForm, MeetingKind, OrganType, PartyType,
    PositionRole, Region,
)

ORGAN_LABELS = {
    OrganType.general_assembly: _l("General assembly"),
    OrganType.council: _l("Council"),
    OrganType.standing_council: _l("Standing council"),
    OrganType.supervisory_board: _l("Supervisory board"),
    OrganType.secretariat: _l("Secretariat"),
    OrganType.branch: _l("Branch"),
    OrganType.party_organisation: _l("Party organisation"),
}
BRANCH_LABELS = {
    BranchSubtype.specialist: _l("Specialist committee"),
    BranchSubtype.youth: _l("Youth committee"),
    BranchSubtype.popular_science: _l("Popular-science committee"),
    BranchSubtype.other: _l("Other branch"),
}
ROLE_LABELS = {
    PositionRole.president: _l("President"),
    PositionRole.vice_president: _l("Vice-president"),
    PositionRole.secretary_general: _l("Secretary-general"),
    PositionRole.deputy_secretary_general: _l("Deputy secretary-general"),
    PositionRole.standing_council_member: _l("Standing council member"),
    PositionRole.council_member: _l("Council member"),
    PositionRole.chief_supervisor: _l("Chief supervisor"),
    PositionRole.supervisor: _l("Supervisor"),
    PositionRole.branch_chair: _l("Branch chair"),
    PositionRole.secretariat_staff: _l("Secretariat staff"),
    PositionRole.delegate: _l("Delegate"),
}
REGION_LABELS = {
    Region.mainland: _l("Mainland"), Region.hk: _l("Hong Kong"), Region.macao: _l("Macao"),
    Region.taiwan: _l("Taiwan"), Region.foreign: _l("Foreign"),
}
ATTRIBUTE_LABELS = {
    CompositionAttribute.front_line: _l("Front-line S&T workers"),
    CompositionAttribute.under_45: _l("Under 45"),
    CompositionAttribute.female: _l("Women"),
    CompositionAttribute.non_mainland: _l("From outside the mainland"),
}
STATUS_LABELS = {
    "preparing": _l("Preparing"), "submitted": _l("Awaiting pre-review"), "returned": _l("Returned"),
    "approved": _l("Pre-review approved"), "assembly_held": _l("Assembly held"), "filed": _l("Results filed"),
    "postponement_requested": _l("Postponement requested"), "postponed": _l("Postponed"),
}
STANDING_LABELS = {
    "on_time": _l("On time"), "due_soon": _l("Due within 180 days"), "overdue": _l("Overdue"),
    "postponed": _l("Postponed"), "done": _l("Renewed"), "upcoming": _l("Not started yet"),
}

EVENT_LABELS = {
    "started": _l("Renewal started"), "submitted": _l("Plan submitted"), "resubmitted": _l("Plan resubmitted"),
    "returned": _l("Returned with comments"), "approved": _l("Pre-review approved"),
    "assembly_held": _l("Assembly held"), "filed": _l("Results filed"), "filed_late": _l("Results filed late"),
    "postponement_requested": _l("Postponement requested"), "postponement_approved": _l("Postponement approved"),
    "postponement_refused": _l("Postponement refused"),
}


def _choices(labels):
    return [(k.value if hasattr(k, "value") else k, v) for k, v in labels.items()]


class OrganForm(FlaskForm):
    """A new organ."""

    type = SelectField(_l("Type"), choices=_choices(ORGAN_LABELS))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    branch_subtype = SelectField(_l("Branch kind"), choices=[("", "—")] + _choices(BRANCH_LABELS),
                                 validators=[Optional()])
    party_type = SelectField(_l("Party organisation type"), choices=[("", "—")] + [(p.value, p.value) for p in PartyType],
                             validators=[Optional()])


class TermForm(FlaskForm):
    """A new term (届)."""

    number = IntegerField(_l("Term number"), validators=[DataRequired(), NumberRange(min=1)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on (empty: the charter's full length)"), validators=[Optional()])


class PositionForm(FlaskForm):
    """A position in a term's roster."""

    role = SelectField(_l("Position held"), choices=_choices(ROLE_LABELS))
    holder_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    gender = SelectField(_l("Gender"), choices=[(Gender.male.value, _l("Male")), (Gender.female.value, _l("Female"))])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired()])
    front_line = BooleanField(_l("Front-line S&T worker"))
    region = SelectField(_l("Region"), choices=_choices(REGION_LABELS))
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=200)])
    starts_on = DateField(_l("Takes office on (empty: the term's start)"), validators=[Optional()])
    # Choices: the adopted council appointments of the decision log (set by the view).
    appointment_decision_ref = SelectField(_l("Council decision appointing the secretary-general"), choices=[],
                                           validate_choice=False)


class ResignForm(FlaskForm):
    """The day a holder resigned."""

    resigned_at = DateField(_l("Resigned on"), validators=[DataRequired()])


class MeetingForm_(FlaskForm):
    """A meeting of an organ."""

    organ_id = SelectField(_l("Organ"), choices=[])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Held on"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=[(MeetingKind.regular.value, _l("Regular")),
                                            (MeetingKind.extraordinary.value, _l("Extraordinary"))])
    form = SelectField(_l("Form"), choices=[(MeetingForm.in_person.value, _l("In person")),
                                            (MeetingForm.online.value, _l("Online")),
                                            (MeetingForm.written.value, _l("Written"))])
    members_count = IntegerField(_l("Members entitled to attend"), validators=[DataRequired(), NumberRange(min=1)])
    present_count = IntegerField(_l("Present"), validators=[Optional(), NumberRange(min=0)], default=0)
    proxy_count = IntegerField(_l("By proxy"), validators=[Optional(), NumberRange(min=0)], default=0)
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=4000)])


class PlanForm(FlaskForm):
    """The renewal plan and candidate list."""

    plan = TextAreaField(_l("Renewal plan"), validators=[DataRequired(), Length(max=20000)])
    candidates = TextAreaField(_l("Candidate list (one per line)"), validators=[DataRequired(), Length(max=20000)])


class AssemblyForm(FlaskForm):
    """The day the general assembly was held."""

    held_on = DateField(_l("General assembly held on"), validators=[DataRequired()])


class FileResultsForm(FlaskForm):
    """The day the results were filed."""

    filed_on = DateField(_l("Results filed on"), validators=[DataRequired()])


class PostponeForm(FlaskForm):
    """A postponement request."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)])
    until = DateField(_l("Postpone until"), validators=[DataRequired()])


class ReviewForm(FlaskForm):
    """The association's decision on a submitted plan or a postponement."""

    decision = SelectField(_l("Decision"), choices=[])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])


class RuleForm(FlaskForm):
    """A composition rule."""

    body = SelectField(_l("Body"), choices=_choices({k: v for k, v in ORGAN_LABELS.items() if k in (
        OrganType.general_assembly, OrganType.council, OrganType.standing_council, OrganType.supervisory_board)}))
    attribute = SelectField(_l("Attribute"), choices=_choices(ATTRIBUTE_LABELS))
    comparison = SelectField(_l("Comparison"), choices=[(c.value, c.value) for c in Comparison])
    threshold = StringField(_l("Threshold (2/3, 0.7 or 70%)"), validators=[DataRequired(), Length(max=20)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


RATING_LABELS = {"excellent": _l("Excellent"), "competent": _l("Competent"),
                 "basically_competent": _l("Basically competent"), "incompetent": _l("Incompetent")}


class AssessmentForm(FlaskForm):
    """The council's assessment of the secretary-general for one year."""

    year = IntegerField(_l("Year assessed"), validators=[DataRequired(), NumberRange(min=1990, max=2200)])
    meeting_id = SelectField(_l("Council meeting that decided it"), choices=[])
    rating = SelectField(_l("Rating"), choices=list(RATING_LABELS.items()))
    comments = TextAreaField(_l("Comments"), validators=[Optional(), Length(max=4000)])

CHARTER_LABELS = {
    "term_max_years": _l("Longest term (years)"), "max_consecutive_terms": _l("Consecutive terms at most"),
    "max_age_at_office": _l("Age limit when taking office"), "quorum": _l("Quorum of a meeting"),
    "majority": _l("Majority for adoption (of those present and not recused)"),
    "proxy_allowed": _l("Attendance by proxy allowed"), "council_meetings_per_year": _l("Council meetings a year"),
    "standing_council_interval_months": _l("Standing council meets at least every (months)"),
    "large_fund_threshold_fen": _l("Large fund use from (yuan)"),
}
NOTICE_LABELS = {"plan": _l("Plan and candidates due within a month"), "180": _l("Term ends within 180 days"),
                 "90": _l("Term ends within 90 days"), "30": _l("Term ends within 30 days"),
                 "overdue": _l("Term ended without renewal"),
                 "postponement_overdue": _l("Approved postponement ran out")}
ATTENDANCE_LABELS = [("present", _l("Attended")), ("absent", _l("Absent")), ("proxy", _l("Attended by proxy"))]


class AttendanceForm(FlaskForm):
    """The attendance list of a meeting; its rows are read from the request (one per attendee)."""
