"""What a learner asks of an estimate: option values by key, typed and checked by options.py.

The command line, scenario files, batch rows and the Python API all build a
Request; the engine reads it through the typed accessors below. All defaults
reproduce the plain catalog estimate.
"""

from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import Any, NamedTuple

from mmcost.errors import OptionError
from mmcost.money import ZERO
from mmcost.options import BY_KEY, Scholarship, parse_options
from mmcost.terms import Term

EMPTY: Mapping[Any, Any] = MappingProxyType({})
"""A shared, read-only empty mapping: the default of mapping fields in records."""

MAX_AID_PCT = BY_KEY["aid"].high
"""edX financial assistance covers up to 90 % of a verified certificate."""

IRC_127_LIMIT = Decimal(5250)
"""US tax-free limit of employer educational assistance per year (IRC section 127)."""

DEFAULT_PACE = 2
"""Courses per term when the user does not say: an assumption about the learner, listed in every output."""


class _Parsed(dict[str, Any]):
    """Option values that parse_options typed and range-checked, so that Request.check need not again."""


class Request(NamedTuple):
    """Option values by key (options.OPTIONS); absent keys take the option's default."""

    values: Mapping[str, Any] = EMPTY

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> "Request":
        """A request from raw values (text or YAML scalars) by key; OptionError names a bad one."""
        return cls(_Parsed(parse_options(raw)))

    @classmethod
    def of(cls, **raw: Any) -> "Request":
        """Request.parse with keyword arguments: Request.of(aid=50, salary="60000")."""
        return cls.parse(raw)

    def replace(self, key: str, value: Any) -> "Request":
        """The same request with one option set from a raw value (checked like any other)."""
        values = {**self.values, key: BY_KEY[key].parse(value)}
        return Request(_Parsed(values) if type(self.values) is _Parsed else values)

    def joined(self, raw: Mapping[str, Any]) -> "Request":
        """A parsed request (Request.parse) with more options, parsed from raw values by key (a key given in
        both takes raw's): batch parses a row's catalog options once for every row that gives the same."""
        return _request((parse_options(raw, _Parsed(self.values)),))

    def get(self, key: str) -> Any:
        """The value of an option, or its default."""
        value = self.values.get(key)
        return BY_KEY[key].default if value is None else value

    def money(self, key: str) -> Decimal | None:
        """An amount the learner gave (None when not given)."""
        value: Decimal | None = self.values.get(key)
        return value

    def pct(self, key: str) -> Decimal:
        """A percentage option (0 when not given)."""
        value: Decimal = self.get(key)
        return value

    def count(self, key: str) -> int:
        """A whole-number option (0 when not given)."""
        value: int = self.get(key)
        return value

    @property
    def year(self) -> int | None:
        """The fee year asked for."""
        value: int | None = self.values.get("year")
        return value

    @property
    def pace(self) -> int:
        """Courses per term, the default when not given."""
        value: int | None = self.values.get("courses_per_term")
        return value if value is not None else DEFAULT_PACE

    @property
    def start(self) -> Term | None:
        """The first term, when given."""
        value: Term | None = self.values.get("start")
        return value

    @property
    def scholarship(self) -> Scholarship | None:
        """The scholarship, when given and not zero."""
        value: Scholarship | None = self.values.get("scholarship")
        return value if value is not None and value.amount != ZERO else None

    @property
    def settings(self) -> Mapping[str, Decimal]:
        """Figure overrides by figure id (--set)."""
        value: Mapping[str, Decimal] = self.values.get("set") or EMPTY
        return value

    @property
    def conversion(self) -> tuple[str, Decimal] | None:
        """The currency and rate to convert to, when asked."""
        currency, rate = self.values.get("currency"), self.values.get("rate")
        return (currency, rate) if currency is not None and rate is not None else None

    def check(self) -> None:
        """Raise OptionError for a value outside its option's range, or options that need each other."""
        if type(self.values) is not _Parsed:  # a Request built from typed values (the Python API's callers)
            for key, value in self.values.items():
                if key not in BY_KEY:
                    raise OptionError(key, "is not an option")
                BY_KEY[key].check(value)
        values = self.values
        if ("currency" in values or "rate" in values) and (values.get("currency") is None) != (
            values.get("rate") is None
        ):
            missing = "rate" if values.get("rate") is None else "currency"
            raise OptionError(missing, "{currency} and {rate} go together (mmcost has no network access for rates)")
        if "no_living" in values and values["no_living"] and values.get("living_per_month") is not None:
            raise OptionError("no_living", "leaves living costs out, so it cannot go with {living_per_month}")

    def is_default(self) -> bool:
        """True when nothing was asked beyond the catalog estimate."""
        return all(self.get(key) == BY_KEY[key].default for key in self.values)


_request = partial(tuple.__new__, Request)
"""A Request from its values, without NamedTuple's Python-level constructor (Request.joined: one a batch row)."""
