"""JSON and NDJSON: amounts exactly from the Decimal, rows streamed a line at a time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from mmcost.render import Prepared, dumps_json

if TYPE_CHECKING:
    from mmcost.views import View


class JsonWriter:
    """JSON: a view's document, or streamed rows as {"schema_version": ..., "rows": [...]}, a row a line.

    NDJSON (lines=True): one JSON object a line.
    """

    def __init__(self, out: IO[str], *, lines: bool) -> None:
        self.out, self.lines, self.first = out, lines, True

    def document(self, view: View) -> None:
        if not self.lines:
            self.out.write(dumps_json(view.document) + "\n")
            return
        for record in view.records:
            self.row(record)

    def begin(self) -> None:
        if not self.lines:
            from mmcost.views import SCHEMA_VERSION

            self.out.write(f'{{"schema_version": {SCHEMA_VERSION}, "rows": [')

    def prepare(self, record: Mapping[str, Any]) -> Prepared:
        return Prepared(dumps_json(record, indent=None)[1:-1])

    def row(self, record: Mapping[str, Any], prepared: Prepared | None = None) -> None:
        text = _plain_json(record) if prepared is not None else dumps_json(record, indent=None)
        if prepared is not None and prepared.encoded:
            text = text[:-1] + (", " if len(text) > 2 else "") + prepared.encoded + "}"
        if self.lines:
            self.out.write(text + "\n")
            return
        self.out.write(("\n" if self.first else ",\n") + text)
        self.first = False

    def end(self) -> None:
        if not self.lines:
            self.out.write("\n]}\n")

    def write_rows(self, text: str) -> None:
        # JSON: a writer's first row starts "\n{", the others ",\n{"; the comma goes where this writer puts it.
        if not self.lines and text:
            text = text.removeprefix(",") if self.first else "," + text if text.startswith("\n") else text
            self.first = False
        self.out.write(text)

    def holds_rows(self) -> bool:
        return False


_JSON_STRING: Any = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _plain_json(record: Mapping[str, Any]) -> str:
    """A record of plain values (a row number, an id, null) as JSON, quickly; anything else the general way."""
    parts = []
    for key, value in record.items():
        if value is None:
            text = "null"
        elif type(value) is int:
            text = str(value)
        elif type(value) is str:
            text = _JSON_STRING(value)
        else:
            return dumps_json(record, indent=None)
        parts.append(f"{_JSON_STRING(key)}: {text}")
    return "{" + ", ".join(parts) + "}"
