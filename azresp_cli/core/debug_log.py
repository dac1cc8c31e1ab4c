"""``--debug``: the SDK's and azresp's own debug lines on stderr, with secrets masked."""

from __future__ import annotations

import logging
from typing import TextIO

from azresp_cli.core.redact import redact

_LOGGERS = (
    "azresp",
    "openai",
    "httpx2",
    "httpx",
    "azure.identity",
    "azure.core",
    "py.warnings",  # Python warnings (pydantic's), captured into logging by cli/main.py
)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def enable_debug_log(stream: TextIO) -> None:
    """Send debug records of azresp, openai, httpx and azure-identity to ``stream``, redacted."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("debug: %(name)s: %(message)s"))
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if any(isinstance(h.formatter, RedactingFormatter) for h in logger.handlers):
            continue
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
