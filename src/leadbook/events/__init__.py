"""The change feed face: ``GET /api/events`` for integrators that poll."""
