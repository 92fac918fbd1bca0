"""Fuzzing the readers: whatever text arrives, the answer is data or located issues.

The budget is fixed for CI (about a minute in all). For a longer run by hand:

    MMCOST_FUZZ_EXAMPLES=50000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmcost.catalog import load_catalog
from mmcost.cli import cli
from mmcost.errors import CatalogError
from mmcost.model import Catalog
from mmcost.yamlsrc import parse_bytes

EXAMPLES = int(os.environ.get("MMCOST_FUZZ_EXAMPLES", "400"))
VALID = (Path(__file__).parent / "hostile" / "valid.yaml").read_bytes()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_WRITER = settings(FUZZ, max_examples=min(EXAMPLES, 3000))
"""The writer's encodings: a small space (a few short runs of cells), well covered by fewer examples."""

# Pieces that YAML and catalogs give meaning to, so random text reaches deep code paths.
YAML_PIECES = [
    "schema_version: 1\n", "figures:\n", "programs:\n", "degrees:\n", "  ", "    ", "- ", ": ", "\n", "\t",
    "{", "}", "[", "]", ",", "&a ", "*a", "!!python/object:os.system ", "!!str ", "? ", "<<: ", "'", '"',
    "amount: ", "1e400", ".nan", "-1", "0.001", "2700.00", "USD", "year: ", "2018", "course_fee: ", "fee",
    "values:", "label: x", "kind: tuition", "\x00", "\ufeff", "é", "#", "---\n", "...\n", "|\n", ">\n",
]  # fmt: skip


def yaml_like() -> st.SearchStrategy[bytes]:
    pieces = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=60)
    return pieces.map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


def mutated_valid() -> st.SearchStrategy[bytes]:
    """The valid catalog with bytes deleted, replaced or inserted at random places."""

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(VALID)
        for _ in range(draw(st.integers(1, 6))):
            position = draw(st.integers(0, len(data)))
            action = draw(st.sampled_from(["delete", "replace", "insert"]))
            chunk = draw(st.binary(min_size=1, max_size=6) | st.sampled_from([p.encode() for p in YAML_PIECES]))
            if action == "delete":
                del data[position : position + len(chunk)]
            elif action == "replace":
                data[position : position + len(chunk)] = chunk
            else:
                data[position:position] = chunk
        return bytes(data)

    return mutate()


def assert_issues_are_located(error: CatalogError) -> None:
    assert error.issues
    for issue in error.issues:
        assert issue.file
        assert "\n" not in str(issue)


@FUZZ
@given(data=st.binary(max_size=400) | yaml_like() | mutated_valid())
def test_the_yaml_reader_returns_data_or_issues(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz.yaml")
    except CatalogError as error:
        assert_issues_are_located(error)


@FUZZ
@given(data=yaml_like() | mutated_valid())
def test_the_catalog_loader_returns_a_catalog_or_issues(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "catalog.yaml"
    path.write_bytes(data)
    try:
        catalog = load_catalog([path], bundled=False)
    except CatalogError as error:
        assert_issues_are_located(error)
    else:
        assert isinstance(catalog, Catalog)


CSV_PIECES = ["program", "pathway", "aid", "year", "id", ",", "\n", '"', "mit-scm", "hes", "mit", "50", "95", "-1",
              "2018", "nan", "1e9", "\x00", "\r", " ", "é", "\udcff"]  # fmt: skip


@settings(max_examples=max(EXAMPLES // 4, 50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(CSV_PIECES) | st.text(max_size=5), max_size=80))
def test_batch_survives_any_csv(tmp_path_factory: pytest.TempPathFactory, parts: list[str]) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "rows.csv"
    path.write_bytes("".join(parts).encode("utf-8", "surrogateescape"))
    result = CliRunner().invoke(cli, ["batch", str(path), "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stderr


OPTIONS = [
    "--year", "--price-tier", "--income", "--course-fee", "--exam-fee", "--tuition-per-course", "--aid",
    "--scholarship", "--employer-per-year", "--retakes", "--exam-retakes", "--courses-per-term", "--start",
    "--fee-growth", "--living-per-month", "--trip-cost", "--salary", "--salary-uplift", "--discount-rate",
    "--currency", "--rate", "--set",
]  # fmt: skip
VALUES = ["0", "1", "-1", "90", "100", "1e400", "nan", "2018", "2200", "99999", "2026-fall", "fall-1900", "25%",
          "150%", "EUR", "usd", "0.0001", "1e-9", "12", "13", "lowest", "x", "", "hes-tuition-per-course=1",
          "$1,000", "1.005"]  # fmt: skip
ROUTES = [("mit-scm", "hes"), ("mit-scm", "mit"), ("mit-dedp", "hes"), ("mit-pom", "mit"), ("mit-sds", "hes")]


@settings(max_examples=max(EXAMPLES // 4, 50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    route=st.sampled_from(ROUTES),
    pairs=st.lists(st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES) | st.text(max_size=6)), max_size=6),
    output=st.sampled_from(["table", "json", "csv"]),
)
def test_estimate_options_never_crash(route: tuple[str, str], pairs: list[tuple[str, str]], output: str) -> None:
    args = ["estimate", "-p", route[0], "-w", route[1], "-f", output, "-q"]
    for option, value in pairs:
        args += [option, value]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2)


@FUZZ
@given(
    row_id=st.text(max_size=12) | st.sampled_from([",", '"', "=1", "a;b", "a\rb", "\r"]),
    tail=st.text(max_size=12),
    # A third prepared cell, which prepare quotes itself (batch's warnings); None: two cells, all through csv.
    last=st.none() | st.text(alphabet=st.characters() | st.sampled_from(["\n", "\r", "\t", '"', ","]), max_size=40),
    delimiter=st.sampled_from([",", "\t"]),
    raw=st.booleans(),
)
def test_a_prepared_csv_row_is_what_the_csv_module_writes_and_reads_back(
    row_id: str, tail: str, last: str | None, delimiter: str, raw: bool
) -> None:
    import csv
    import io

    from mmcost.render.delimited import DelimitedWriter

    fields: tuple[str, ...] = ("row", "id", "label", "amount")
    record: dict[str, object] = {"label": tail, "amount": Decimal("1.50")}
    if last is not None:
        fields, record = (*fields, "warnings"), {**record, "warnings": last}
    prepared, whole = io.StringIO(), io.StringIO()
    writer = DelimitedWriter(prepared, fields, delimiter, header=False, raw=raw)
    writer.row({"row": 7, "id": row_id}, writer.prepare(record))
    DelimitedWriter(whole, fields, delimiter, header=False, raw=raw).row({"row": 7, "id": row_id, **record})
    assert prepared.getvalue() == whole.getvalue()
    # Every cell reads back as written, a bare CR too (csv's writer leaves that one unquoted on its own).
    cells = [writer.cell(value) for value in ({"row": 7, "id": row_id, **record}[name] for name in fields)]
    assert list(csv.reader(io.StringIO(whole.getvalue(), newline=""), delimiter=delimiter)) == [cells]


@FUZZ
@given(
    # No CR: csv's writer leaves a bare CR unquoted, which _line mends on its own path (the test above).
    cells=st.lists(
        st.text(alphabet=st.sampled_from([",", "\t", '"', "\n", " ", "a", "=", "é"]), max_size=5), min_size=2
    ),
    delimiter=st.sampled_from([",", "\t"]),
)
def test_a_line_of_cells_is_what_the_csv_module_writes(cells: list[str], delimiter: str) -> None:
    """DelimitedWriter._line joins cells that need no quoting itself; the line is what csv writes either way."""
    import csv
    import io

    from mmcost.render.delimited import DelimitedWriter

    written = io.StringIO()
    csv.writer(written, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    writer = DelimitedWriter(io.StringIO(), ["cell"] * len(cells), delimiter, header=False, raw=True)
    assert writer._line(cells) == written.getvalue()


@FUZZ
@given(number=st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(places=2, min_value=-(10**15)))
def test_a_decimal_cell_is_the_plain_number(number: Decimal) -> None:
    """safe_cell's shortcut (str, unless it chose scientific notation) writes what plain() writes."""
    from mmcost.render import plain
    from mmcost.render.delimited import safe_cell

    assert safe_cell(number) == plain(number)


CELL_VALUES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.decimals(places=2, min_value=-(10**15))
    | st.text(max_size=6)
    | st.sampled_from(["=1+1", "+x", "-2", "@a", "\tx", "\rx", "'a", "E", ""])
    | st.lists(st.text(max_size=3), max_size=3)
)


@FUZZ
@given(values=st.lists(CELL_VALUES, max_size=8), raw=st.booleans())
def test_a_records_cells_are_the_writers_cell_of_each_value(values: list[object], raw: bool) -> None:
    """DelimitedWriter.cells (the common types inline) makes what the writer's cell function makes."""
    import io

    from mmcost.render.delimited import DelimitedWriter

    names = [f"f{index}" for index in range(len(values))]
    writer = DelimitedWriter(io.StringIO(), names, ",", header=False, raw=raw)
    record = dict(zip(names, values, strict=True))
    assert writer.cells(map(record.__getitem__, names)) == [writer.cell(value) for value in values]


@FUZZ
@given(
    line=st.text(
        alphabet=st.sampled_from([",", "\t", " ", "a", "1", "é", "\x00", "\x0c", "'", "\\", ";"]), max_size=12
    ),
    end=st.sampled_from(["", "\n", "\r\n", "\r"]),
    delimiter=st.sampled_from([",", "\t"]),
)
def test_a_line_without_quotes_splits_as_csv_reads_it(line: str, end: str, delimiter: str) -> None:
    """rows._fields splits a line without quotes itself: the fields csv reads from it, as readline with
    newline="" gives it (ending in one of \n, \r\n or \r, or nothing at the end of the input)."""
    import csv

    from mmcost.rows import _fields

    reader = csv.reader((line + end,), strict=True, delimiter=delimiter)
    assert _fields(line + end, delimiter) == next(reader, [])


KEPT_VALUES = st.none() | st.integers() | st.text(max_size=6) | st.sampled_from([",", '"', "a,b", "\n", "x\ry", "=1"])
"""Values whose equal ones encode alike (ids, counts, text): what a kept run may hold (not bools beside whole
numbers, nor Decimals, which equal ones written with other digits)."""


@FUZZ_WRITER
@given(
    kept=st.lists(st.lists(KEPT_VALUES, min_size=2, max_size=5), max_size=3),
    runs=st.lists(
        st.lists(CELL_VALUES | st.sampled_from([",", '"', "a,b", "\n", "x\ry"]), min_size=2, max_size=5), max_size=3
    ),
    last=st.text(max_size=6) | st.sampled_from(["a, b", '"q"', "=x", "x\ry"]),
    delimiter=st.sampled_from([",", "\t"]),
    raw=st.booleans(),
)
def test_a_line_of_runs_is_the_line_of_all_their_values(
    kept: list[list[object]], runs: list[list[object]], last: str, delimiter: str, raw: bool
) -> None:
    """What render.RowEncoder writes for a batch row, run by run (each run's cells joined, a kept run made once,
    the last cell quoted once), is what prepare_values writes for all the values at once: quoting is cell by
    cell, whichever cells share a line."""
    import io

    from mmcost.render.delimited import DelimitedWriter

    values = [value for run in (*kept, *runs) for value in run] + [last]
    names = ["lead", *(f"f{index}" for index in range(len(values)))]
    writer = DelimitedWriter(io.StringIO(), names, delimiter, header=False, raw=raw)

    def kept_text(run: list[object]) -> str:
        return writer.kept_runs.get(tuple(run)) or writer.kept_run(tuple(run))

    parts = [*map(kept_text, kept), *(writer.joined(writer.cells(run)) for run in runs), writer.last_cell(last)]
    assert [*map(kept_text, kept)] == parts[: len(kept)]  # kept, or made again alike
    if len(values) > 2:  # prepare_values quotes the last cell apart only then
        assert writer.prepare_values(values).encoded == (1, delimiter.join(parts) + "\n")


@FUZZ
@given(
    text=st.from_regex(r"\A[0-9]{1,5}(\.[0-9]{0,3})?\Z") | st.text(alphabet="0123456789.-", max_size=8),
    key=st.sampled_from(["year", "aid", "fee_growth", "discount_rate", "credits_left", "rate"]),
)
def test_a_plain_year_or_number_parses_as_the_general_rules_parse_it(text: str, key: str) -> None:
    """The year and number parsers' shortcuts for plain digits give the value, and the errors, of their general
    rules (which text with spaces around it, or a number with a % sign, always takes)."""
    from mmcost.errors import OptionError
    from mmcost.options import BY_KEY

    spec = BY_KEY[key]

    def parsed(value: str) -> str:
        try:
            return repr(spec.parse(value))
        except OptionError as error:
            return str(error)

    general = f" {text} " if spec.kind == "year" else f"{text}%"
    assert parsed(text) == parsed(general)


@FUZZ
@given(
    text=st.from_regex(r"\A[0-9]{1,14}(\.[0-9]{0,3})?\Z") | st.text(alphabet="0123456789.", max_size=18),
)
def test_a_plain_amount_parses_as_the_general_rules_parse_it(text: str) -> None:
    """The money parser's shortcut for plain digits gives the value, and the errors, of its general rules
    (which a leading `$` always takes: the shortcut reads digits only)."""
    from mmcost.errors import OptionError
    from mmcost.options import _PLAIN_AMOUNT, BY_KEY

    salary = BY_KEY["salary"]
    if not _PLAIN_AMOUNT.fullmatch(text):  # the general rules alone; an error would quote the `$`
        return

    def parsed(value: str) -> str:
        try:
            return repr(salary.parse(value))
        except OptionError as error:
            return str(error)

    assert parsed(text) == parsed("$" + text)


@FUZZ
@given(fields=st.lists(st.text(max_size=6) | st.sampled_from(["\udcff", "\x85", "\u2028", "\t", "é"]), max_size=5))
def test_a_row_is_refused_for_its_first_bad_field_whatever_the_shortcut(fields: list[str]) -> None:
    """_bad_text's shortcut (the whole row printable) agrees with the field-by-field check."""
    from mmcost.errors import control_character
    from mmcost.rows import _bad_text

    expected = None
    for index, field in enumerate(fields):
        if "\udcff" in field or any(0xD800 <= ord(char) <= 0xDFFF for char in field):
            expected = (index, "not UTF-8 text")
            break
        problem = control_character(field)
        if problem is not None:
            expected = (index, problem)
            break
    assert _bad_text(fields) == expected
