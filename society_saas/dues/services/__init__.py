"""Dues verbs: `(society, actor, data)`, add and flush, never commit, never touch `request`."""
from society_saas.dues.services.invoicing import (  # noqa: F401
    exemption_of, get_invoice, grant_exemption, invoice_page, invoices_count_query, invoices_query, list_schedules,
    preview_invoice_run, recompute, run_invoices, schedule_from_classes, set_fapiao, set_schedule, void_invoice,
    withdraw_exemption,
)
from society_saas.dues.services.payments import (  # noqa: F401
    apply_refund, confirm, confirm_voucher, duplicate_payments, extend_membership, mark_duplicate, member_invoices, overpaid_invoices,
    payments_of, pending_vouchers, record_payment, refund, reject_voucher, submit_voucher,
)
from society_saas.dues.services.receipts import amount_in_capitals, issue_receipt, receipt_pdf  # noqa: F401
from society_saas.dues.services.reminders import send_reminders  # noqa: F401
from society_saas.dues.services import reports  # noqa: F401
