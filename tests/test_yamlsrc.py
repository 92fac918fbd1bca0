"""The YAML reader: exact, located messages for every kind of bad text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from mmcost.bundled import MAX_FILE_BYTES
from mmcost.errors import CatalogError
from mmcost.yamlsrc import MAX_DEPTH, parse_bytes, parse_text, read_file


def messages(text: str | bytes) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        if isinstance(text, bytes):
            parse_bytes(text, "t.yaml")
        else:
            parse_text(text, "t.yaml")
    return [str(issue) for issue in caught.value.issues]


def test_numbers_keep_their_source_text() -> None:
    document = parse_text("fee: 150.10\ncount: 5\nlist: [0.1, 2700.00]\n", "t.yaml")
    assert document.data == {"fee": Decimal("150.10"), "count": 5, "list": [Decimal("0.1"), Decimal("2700.00")]}
    assert str(document.data["list"][1]) == "2700.00"


def test_every_path_is_located() -> None:
    document = parse_text("a:\n  b:\n    - x\n    - {c: 1}\n", "t.yaml")
    assert document.locations["a.b[1].c"] == (4, 8)
    assert document.locate("a.b[1].missing") == (4, 7)


def test_duplicate_keys_at_any_depth() -> None:
    assert messages("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n") == [
        "t.yaml:4:3: b.c: duplicate key 'c' (first at line 3)",
        "t.yaml:5:1: a: duplicate key 'a' (first at line 1)",
    ]


def test_object_construction_tags_are_refused() -> None:
    assert messages("a: !!python/object/apply:os.system ['echo hi']\n") == [
        "t.yaml:1:4: a: unsupported tag 'tag:yaml.org,2002:python/object/apply:os.system';"
        " only plain YAML values are read",
    ]


def test_aliases_are_refused_before_expansion() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\n"
    # Reading stops at the first alias: one message, nothing expanded.
    assert messages(bomb) == ["t.yaml:2:8: b[0]: aliases (*name) are not supported; write the value out"]


def test_deep_nesting_stops_early() -> None:
    # Flow nesting: the 65th "[" (column 65) is one level too deep. libyaml (PyYAML 6.0.4 on) scans ahead and
    # stops at its own limit of 1,000 levels first; the message must not depend on which release is installed.
    assert messages("[" * 100_000) == [f"t.yaml:1:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels"]
    # Block nesting, 1,100 mappings deep: key k0 on line 1 opens level 1, so k64 on line 65 (indented 64
    # spaces, column 65) opens level 65.
    block = "".join(" " * level + f"k{level}:\n" for level in range(1_100))
    assert messages(block) == [f"t.yaml:{MAX_DEPTH + 1}:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "t.yaml: file is empty; expected a mapping"),
        ("# only a comment\n", "t.yaml: file is empty; expected a mapping"),
        ("a: [1\n", "t.yaml:2:1: YAML syntax: did not find expected ',' or ']'"),
        ("a: 'open\n", "t.yaml:2:1: YAML syntax: found unexpected end of stream"),
        ("a:\n\t- 1\n", "t.yaml:2:1: YAML syntax: found character that cannot start any token"),
        ("--- 1\n--- 2\n", "t.yaml:2:1: more than one YAML document; expected exactly one"),
        ("a: .nan\n", "t.yaml:1:4: a: '.nan' is not a usable number"),
        ("a: .inf\n", "t.yaml:1:4: a: '.inf' is not a usable number"),
        ("a: 1.0e+400\n", "t.yaml:1:4: a: '1.0e+400' is not a usable number"),
        ("a: 0x1F\n", "t.yaml:1:4: a: write '0x1F' as a plain decimal integer"),
        ("? [a]\n: 1\n", "t.yaml:1:3: keys must be plain text"),
    ],
)
def test_bad_text(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_binary_and_encodings() -> None:
    assert messages(b"a: 1\x00\x01") == ["t.yaml: contains NUL bytes; is this a binary file?"]
    assert messages(b"a: caf\xe9\n") == ["t.yaml: not UTF-8 text (bad byte at offset 6)"]
    assert parse_bytes(b"\xef\xbb\xbfa: 1\n", "t.yaml").data == {"a": 1}


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such file"):
        read_file(tmp_path / "missing.yaml")
    with pytest.raises(CatalogError, match="is a directory"):
        read_file(tmp_path)
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(CatalogError, match=r"the limit is 5,242,880"):
        read_file(big)
