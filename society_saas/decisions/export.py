"""The register as an xlsx workbook: one row per decision, one sheet with every entry and its hash."""
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from society_saas.core.spreadsheet import safe_row


def register_xlsx(decisions, labels) -> bytes:
    """Build the workbook from folded decisions (services.list_decisions)."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(_("Register"))
    sheet.append([_("Meeting date"), _("Kind"), _("Matter"), _("Proposed by"), _("Amount (yuan)"), _("Deciding body"),
                  _("Meeting (name and session)"), _("Members of the body"), _("Members present"), _("recused"),
                  _("Votes for"), _("Votes against"), _("Abstentions"), _("Result"), _("State"), _("Hash")])
    for d in decisions:
        c = d.current
        sheet.append(safe_row([c.meeting_date, str(labels["kinds"].get(c.kind, c.kind)), c.title, c.proposer,
                               c.amount_fen / 100 if c.amount_fen else None, str(labels["bodies"].get(c.body, c.body)),
                               c.meeting_ref, c.members_total, c.present, "、".join(c.recused or []), c.votes_for,
                               c.votes_against, c.votes_abstain, str(labels["states"].get(c.result, c.result)),
                               str(labels["states"].get(d.state, d.state)), d.entries[-1].hash]))
    entries = wb.create_sheet(_("Entries"))
    entries.append(["#", _("Entry"), _("Matter"), _("Recorded"), _("Content"), _("Hash")])
    for d in decisions:
        for e in d.entries:
            entries.append(safe_row([e.seq, str(labels["entries"].get(e.entry_type, e.entry_type)), d.current.title,
                                     e.recorded_at.strftime("%Y-%m-%d %H:%M UTC"),
                                     " ".join(x for x in (str(labels["states"].get(e.state) or labels["responses"].get(e.state, e.state)) if e.state else "",
                                                          e.note or "") if x), e.hash]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
