"""Societies (the tenants), the per-request society context and the ORM scoping."""
