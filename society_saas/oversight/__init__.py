"""The association console: oversight, assessment, rankings, filings, reform tasks."""
