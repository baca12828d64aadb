"""Dues: schedules, exemptions, invoices, payments, receipts and reminders."""
