"""Forms of the member pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, HiddenField, DateField, EmailField, IntegerField, PasswordField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

GENDER_CHOICES = [("", _l("(not given)")), ("male", _l("Male")), ("female", _l("Female"))]
ID_TYPE_CHOICES = [("resident_id", _l("Resident ID card")), ("passport", _l("Passport")),
                   ("hk_macao_permit", _l("Hong Kong/Macao travel permit")),
                   ("taiwan_permit", _l("Taiwan travel permit")), ("foreign_permit", _l("Foreigner's permanent residence card")),
                   ("other", _l("Other"))]
NATIONALITY_CHOICES = [("mainland", _l("Mainland China")), ("hk", _l("Hong Kong SAR")), ("macao", _l("Macao SAR")),
                       ("taiwan", _l("Taiwan region")), ("foreign", _l("Foreign"))]
EDUCATION_CHOICES = [("", _l("(not given)")), ("doctorate", _l("Doctorate")), ("master", _l("Master's degree")),
                     ("bachelor", _l("Bachelor's degree")), ("college", _l("College")), ("other", _l("Other"))]
PERSON_FIELDS = ("name", "gender", "birth_date", "id_type", "id_number", "mobile", "email", "work_unit",
                 "professional_title", "senior_title", "education", "discipline", "region", "front_line", "nationality",
                 "organisation", "credit_code", "contact_person")


class ApplicationForm(FlaskForm):
    """The public application to join a society."""

    class_code = SelectField(_l("Membership class"), validators=[DataRequired()])
    name = StringField(_l("Name (person or organisation)"), validators=[DataRequired(), Length(max=200)])
    gender = SelectField(_l("Gender"), choices=GENDER_CHOICES, validators=[Optional()])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    id_type = SelectField(_l("ID document type"), choices=ID_TYPE_CHOICES)
    id_number = StringField(_l("ID document number"), validators=[Optional(), Length(max=30)])
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200)])
    work_unit = StringField(_l("Work unit"), validators=[Optional(), Length(max=200)])
    professional_title = StringField(_l("Professional title"), validators=[Optional(), Length(max=60)])
    senior_title = BooleanField(_l("I hold a senior professional title (associate senior or above)"))
    education = SelectField(_l("Highest education"), choices=EDUCATION_CHOICES, validators=[Optional()])
    discipline = StringField(_l("Discipline"), validators=[Optional(), Length(max=100)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    front_line = BooleanField(_l("I am a front-line S&T worker"))
    nationality = SelectField(_l("Nationality or region"), choices=NATIONALITY_CHOICES)
    organisation = StringField(_l("Organisation (institutional members)"), validators=[Optional(), Length(max=200)])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=18)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=100)])
    attachment = FileField(_l("Attachment (PDF, JPEG or PNG, at most 5 MB)"))
    password = PasswordField(_l("Password for your new account"), validators=[Optional()])

    def person_data(self) -> dict:
        """The applicant's fields as a plain dict for the service."""
        data = {k: getattr(self, k).data for k in PERSON_FIELDS}
        if data.get("birth_date"):
            data["birth_date"] = data["birth_date"].isoformat()
        return data


class ReasonForm(FlaskForm):
    """A reason or a question for the applicant."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class ApproveForm(FlaskForm):
    """Approve an application, optionally with a council decision's reference."""

    reference = StringField(_l("Decision reference (required for fellows)"), validators=[Optional(), Length(max=200)])


class StatusForm(FlaskForm):
    """Change a member's status."""

    action = SelectField(_l("Change"), choices=[("grace", _l("Start the grace period")), ("lapsed", _l("Mark as lapsed")),
                                                ("resigned", _l("Resignation")), ("expelled", _l("Expulsion")),
                                                ("deceased", _l("Deceased")), ("reinstate", _l("Reinstate"))])
    reference = StringField(_l("Decision reference"), validators=[Optional(), Length(max=200)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class ImportForm(FlaskForm):
    """Upload a roster (xlsx or CSV)."""

    file = FileField(_l("Roster file (xlsx or CSV)"), validators=[DataRequired()])
    dry_run = BooleanField(_l("Dry run: check only, import nothing"), default=True)


class MappingForm(FlaskForm):
    """A stored roster and the choice of a dry run; the column selects (col-0, col-1…) are read by position."""

    key = HiddenField(validators=[DataRequired(), Length(max=40)])
    name = HiddenField(validators=[Optional(), Length(max=120)])
    dry_run = BooleanField(_l("Dry run: check only, import nothing"), default=True)


class ProfileForm(FlaskForm):
    """The fields a member keeps up to date themselves."""

    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200)])
    work_unit = StringField(_l("Work unit"), validators=[Optional(), Length(max=200)])
    professional_title = StringField(_l("Professional title"), validators=[Optional(), Length(max=60)])
    education = SelectField(_l("Highest education"), choices=EDUCATION_CHOICES, validators=[Optional()])
    discipline = StringField(_l("Discipline"), validators=[Optional(), Length(max=100)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])


class ClassForm(FlaskForm):
    """A membership class's names, dues, eligibility and rights."""

    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(), Length(max=50)])
    name_en = StringField(_l("English name"), validators=[DataRequired(), Length(max=80)])
    annual_dues_fen = IntegerField(_l("Annual dues (fen)"), validators=[InputRequired(), NumberRange(min=0)])
    min_years = IntegerField(_l("Years of membership required"), validators=[InputRequired(), NumberRange(min=0, max=50)])
    requires_senior_title = BooleanField(_l("Requires a senior professional title"))
    elected = BooleanField(_l("Elected by the council (no applications)"))
    may_vote = BooleanField(_l("May vote"))
    may_stand = BooleanField(_l("May stand for office"))
    sort_order = IntegerField(_l("Order"), validators=[InputRequired()])


class ChangeClassForm(FlaskForm):
    """Move a member to another class (fellows need the council's decision)."""

    class_code = SelectField(_l("New class"), validators=[DataRequired()])
    reference = StringField(_l("Decision reference"), validators=[Optional(), Length(max=200)])


class UpgradeForm(FlaskForm):
    """A member applies for a higher class."""

    class_code = SelectField(_l("Class applied for"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class RequestForm(FlaskForm):
    """A member's request or complaint."""

    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Your request"), validators=[DataRequired(), Length(max=5000)])


class ReplyForm(FlaskForm):
    """The secretariat's reply to a request."""

    reply = TextAreaField(_l("Reply"), validators=[Optional(), Length(max=5000)])


def _yes_no_unknown(value):
    """"1"/"0"/"" (and True/False/None) as True/False/None."""
    if value in (None, "", "None"):
        return None
    return str(value) in ("1", "True", "true", "y")


class MemberEditForm(FlaskForm):
    """The secretariat's edit of a member's record (the ID number only when it is re-entered)."""

    name = StringField(_l("Name (person or organisation)"), validators=[DataRequired(), Length(max=200)])
    gender = SelectField(_l("Gender"), choices=GENDER_CHOICES, validators=[Optional()])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    id_type = SelectField(_l("ID document type"), choices=ID_TYPE_CHOICES)
    id_number = StringField(_l("New ID document number (leave empty to keep)"), validators=[Optional(), Length(max=30)])
    mobile = StringField(_l("Mobile"), validators=[Optional(), Length(max=20)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200)])
    work_unit = StringField(_l("Work unit"), validators=[Optional(), Length(max=200)])
    professional_title = StringField(_l("Professional title"), validators=[Optional(), Length(max=60)])
    senior_title = BooleanField(_l("Senior professional title (associate senior or above)"))
    education = SelectField(_l("Highest education"), choices=EDUCATION_CHOICES, validators=[Optional()])
    discipline = StringField(_l("Discipline"), validators=[Optional(), Length(max=100)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    front_line = BooleanField(_l("Front-line S&T worker"))
    nationality = SelectField(_l("Nationality or region"), choices=NATIONALITY_CHOICES)
    join_date = DateField(_l("Join date"), validators=[Optional()])
    organisation = StringField(_l("Organisation (institutional members)"), validators=[Optional(), Length(max=200)])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=18)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=100)])
    # restricted: the view removes it for everyone but the secretary-general
    party_member = SelectField(_l("Party member (restricted)"), coerce=_yes_no_unknown, validators=[Optional()],
                               choices=[("", _l("(not given)")), ("1", _l("Yes")), ("0", _l("No"))])
    # the record's version when the form was shown: a save over someone else's newer change is refused
    version = HiddenField()

    def member_data(self) -> dict:
        """The submitted fields for update_member; an empty ID number keeps the stored one."""
        keys = [f.name for f in self if f.name not in ("csrf_token", "id_number", "version")]
        data = {k: getattr(self, k).data for k in keys}
        for key in ("birth_date", "join_date"):
            data[key] = data[key].isoformat() if data[key] else None
        if self.id_number.data:
            data["id_number"] = self.id_number.data
        return data
