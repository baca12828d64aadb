"""Governance: organs, terms (届), positions, meetings, renewals (换届) and composition rules."""
