"""The society profile form used by the association console."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from society_saas.tenancy.models import SocietyKind
from society_saas.tenancy.services import SLUG_PATTERN

KIND_LABELS = {
    SocietyKind.society: _l("Society (学会)"),
    SocietyKind.association: _l("Association (协会)"),
    SocietyKind.research_society: _l("Research society (研究会)"),
    SocietyKind.university_sta: _l("University STA (高校科协)"),
    SocietyKind.enterprise_sta: _l("Enterprise STA (企业科协)"),
    SocietyKind.park_sta: _l("Park STA (园区科协)"),
}


class SocietyForm(FlaskForm):
    """A society's profile."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[DataRequired(), Length(max=60)])
    slug = StringField(_l("Address name (the NAME in /s/NAME/)"), validators=[
        DataRequired(), Regexp(SLUG_PATTERN, message=_l("Use up to 40 lower-case letters, digits or hyphens, starting with a letter."))])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    registration_no = StringField(_l("Registration number"), validators=[Optional(), Length(max=60)])
    supporting_unit = StringField(_l("Supporting unit"), validators=[Optional(), Length(max=200)])
    discipline = StringField(_l("Discipline"), validators=[Optional(), Length(max=100)])
    consortium = StringField(_l("Consortium"), validators=[Optional(), Length(max=100)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    contact_email = EmailField(_l("Contact email"), validators=[Optional(), Email()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    # the profile's version when the form was shown (editing only): a save over a newer change is refused
    version = HiddenField()


class SuspendForm(FlaskForm):
    """The reason for suspending a society."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
