"""Log formats: one JSON object a line on stdout (``LOG_FORMAT=json``, the default),
or a readable line for a person at a terminal (``LOG_FORMAT=text``, ``bin/run --dev``).

Either way each line carries the context ids of ``claims.telemetry`` (request id or
task id, article and claim ids where known) and the fields passed as ``extra=``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from .. import telemetry

# Attributes every LogRecord has; anything else on a record came in through ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "context"}
_installed = False


def install_context() -> None:
    """Stamp each record with the context ids when it is made, not when it is
    formatted: a handler that formats later (or elsewhere) still sees them."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def with_context(*args, **kwargs):
        record = make_record(*args, **kwargs)
        record.context = telemetry.current()
        return record

    logging.setLogRecordFactory(with_context)
    _installed = True


def _fields(record: logging.LogRecord) -> dict:
    fields = dict(getattr(record, "context", None) or telemetry.current())
    fields.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
    return fields


class JsonFormatter(logging.Formatter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        install_context()

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        install_context()

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = _fields(record)
        if fields:
            text += "  [" + " ".join(f"{k}={v}" for k, v in fields.items()) + "]"
        return text
