"""The API's resources, one module per area."""
