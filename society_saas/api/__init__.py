"""The REST API under /api/v1: load a schema, call the service the pages call, dump a schema."""
