"""Webhooks: feed events turned into signed deliveries, sent at least once by the worker."""
