"""Forms of the decision log: record, state change, follow-up note, correction."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

NAV_LABEL = _l("三重一大 decisions")  # the link in templates/admin/_layout.html
KIND_LABELS = {
    "major_decision": _l("Major decision"),
    "appointment": _l("Important appointment or removal"),
    "major_project": _l("Major project"),
    "large_fund_use": _l("Large fund use"),
}
BODY_LABELS = {
    "general_assembly": _l("General assembly"),
    "council": _l("Council"),
    "standing_council": _l("Standing council"),
}
STATE_LABELS = {
    "proposed": _l("Proposed"),
    "adopted": _l("Adopted"),
    "rejected": _l("Rejected"),
    "in_progress": _l("Being carried out"),
    "completed": _l("Completed"),
}
SUPERVISION_LABELS = {
    "present": _l("Present at the meeting"),
    "notified": _l("Notified"),
    "absent": _l("Neither present nor notified"),
}
RESPONSE_LABELS = {
    "pending": _l("Awaiting the association"),
    "acknowledged": _l("Acknowledged"),
    "question": _l("Question asked"),
}
ENTRY_LABELS = {
    "record": _l("Decision recorded"),
    "state_change": _l("State change"),
    "follow_up": _l("Follow-up note"),
    "correction": _l("Correction"),
    "association_response": _l("Association's answer"),
}


def _choices(labels, blank=None):
    items = list(labels.items())
    return ([("", blank)] if blank is not None else []) + items


def yuan_to_fen(text) -> int | None:
    """'12,345.67' yuan -> 1234567 fen; None when empty; ValueError when not an amount."""
    if text in (None, ""):
        return None
    try:
        value = Decimal(str(text).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise ValueError(str(text)) from exc
    return int((value * 100).to_integral_value())


class RecordForm(FlaskForm):
    """Record a decision taken by a collective body."""

    kind = SelectField(_l("Kind of matter"), choices=_choices(KIND_LABELS), validators=[DataRequired()])
    title = StringField(_l("Matter"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description of the matter"), validators=[Optional(), Length(max=5000)])
    proposer = StringField(_l("Proposed by"), validators=[DataRequired(), Length(max=200)])
    amount_fen = StringField(_l("Amount (yuan)"), validators=[Optional(), Length(max=20)])
    meeting_id = SelectField(_l("Meeting"), choices=[], validate_choice=False)
    body = SelectField(_l("Deciding body"), choices=_choices(BODY_LABELS, ""), validators=[Optional()])
    meeting_ref = StringField(_l("Meeting (name and session)"), validators=[Optional(), Length(max=200)])
    meeting_date = DateField(_l("Meeting date"), validators=[Optional()])
    members_total = IntegerField(_l("Members of the body"), validators=[Optional(), NumberRange(min=1)])
    present = IntegerField(_l("Members present"), validators=[Optional(), NumberRange(min=0)])
    recused = TextAreaField(_l("Recused members (回避), separated by commas"), validators=[Optional(), Length(max=2000)])
    votes_for = IntegerField(_l("Votes for"), validators=[Optional(), NumberRange(min=0)])
    votes_against = IntegerField(_l("Votes against"), validators=[Optional(), NumberRange(min=0)])
    votes_abstain = IntegerField(_l("Abstentions"), validators=[Optional(), NumberRange(min=0)])
    result = SelectField(_l("Result"), choices=[("adopted", _l("Adopted")), ("rejected", _l("Rejected"))])
    supervisors = SelectField(_l("Supervisory board"), choices=_choices(SUPERVISION_LABELS))
    party_organisation = BooleanField(_l("The society has a party organisation"))
    party_prestudy = SelectField(_l("Party organisation studied the matter beforehand (前置研究)"),
                                 choices=[("", _l("Not recorded")), ("yes", _l("Yes")), ("no", _l("No"))])
    report_to_association = BooleanField(_l("Report to the association (重大事项请示报告)"))
    attachment = FileField(_l("Minutes or papers (PDF, JPEG or PNG)"))

    def service_data(self) -> dict:
        """The values the service checks, amounts in fen, the upload as (stream, name)."""
        data = {k: v for k, v in self.data.items() if k not in ("csrf_token", "attachment")}
        upload = self.attachment.data
        data["files"] = [(upload.stream, upload.filename)] if upload and getattr(upload, "filename", "") else []
        try:
            data["amount_fen"] = yuan_to_fen(data.get("amount_fen"))
        except ValueError:
            data["amount_fen"] = "x"  # the service reports it as not a number
        return data


class StateForm(FlaskForm):
    """Move an adopted decision on."""

    state = SelectField(_l("New state"), choices=[("in_progress", _l("Being carried out")),
                                                  ("completed", _l("Completed"))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class FollowUpForm(FlaskForm):
    """A note on how the decision is carried out."""

    note = TextAreaField(_l("Follow-up note"), validators=[DataRequired(), Length(max=5000)])


class CorrectionForm(FlaskForm):
    """Correct an earlier entry; empty fields keep their value."""

    corrects_seq = SelectField(_l("Entry to correct"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=5000)])
    title = StringField(_l("Matter"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description of the matter"), validators=[Optional(), Length(max=5000)])
    proposer = StringField(_l("Proposed by"), validators=[Optional(), Length(max=200)])
    recused = TextAreaField(_l("Recused members (回避), separated by commas"), validators=[Optional(), Length(max=2000)])
    votes_for = IntegerField(_l("Votes for"), validators=[Optional(), NumberRange(min=0)])
    votes_against = IntegerField(_l("Votes against"), validators=[Optional(), NumberRange(min=0)])
    votes_abstain = IntegerField(_l("Abstentions"), validators=[Optional(), NumberRange(min=0)])

    def service_data(self) -> dict:
        """Only the fields the secretariat filled in."""
        return {k: v for k, v in self.data.items() if k != "csrf_token" and v not in (None, "")}


class ResponseForm(FlaskForm):
    """The association's answer to a reported matter."""

    response = SelectField(_l("Answer"), choices=[("acknowledged", _l("Acknowledge")), ("question", _l("Ask a question"))])
    note = TextAreaField(_l("Question or remark"), validators=[Optional(), Length(max=5000)])
