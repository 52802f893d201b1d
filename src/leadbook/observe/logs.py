"""Logging for ``leadbook serve``: every line, Leadbook's and uvicorn's, through structlog's
processors (ISO time, level, logger, the request id of the request it belongs to, secrets
hidden) to one JSON object per line, or to a readable console line."""

from __future__ import annotations

from typing import Any, Literal

import structlog

Format = Literal["json", "console"]
SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(log_format: Format) -> structlog.stdlib.ProcessorFormatter:
    """Returns the logging formatter of every handler (``config`` names it), and sets
    structlog up to hand its own lines to it: called in each worker process as it starts."""
    from leadbook.observe import redact

    structlog.configure(
        processors=[*SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact.processor,
            renderer,
        ],
    )


def config(level: str, log_format: Format) -> dict[str, Any]:
    """Returns the ``logging.config.dictConfig`` of a server: one handler on standard error,
    uvicorn's loggers into it (its own access log is off: ``requestlog`` writes one line a
    request instead)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {"()": "leadbook.observe.logs.formatter", "log_format": log_format}
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }
