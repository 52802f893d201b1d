"""The worker: webhook deliveries and the scheduled jobs (``leadbook worker``)."""
