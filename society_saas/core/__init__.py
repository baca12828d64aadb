"""Shared machinery: database, errors, permissions, audit, mail, time, money."""
