"""The catalog cache: the same catalog as validation gives, never stale, never trusted blindly."""

from __future__ import annotations

import os
import stat
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from mmcost import model, store
from mmcost.catalog import load_catalog as validate
from mmcost.catalog import schema
from mmcost.engine import Request, estimate
from mmcost.errors import CatalogError

from .conftest import MINI_CATALOG


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("MMCOST_NO_CACHE", raising=False)
    return folder / "mmcost"


def test_a_cached_catalog_equals_a_validated_one(cache: Path) -> None:
    first = store.load_catalog()
    [written] = list(cache.glob("catalog-*.json"))
    second = store.load_catalog()
    # Records compared with ==, not through the codec, so that the codec cannot hide its own drift.
    assert second == first == validate()
    assert list(cache.glob("catalog-*.json")) == [written]


def test_a_changed_file_is_validated_again(cache: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_CATALOG)
    assert store.load_catalog([mine]).figures["msc-tuition"].values[0].amount == 1000
    mine.write_text(MINI_CATALOG.replace("amount: 1000.00", "amount: 1200.00"))
    assert store.load_catalog([mine]).figures["msc-tuition"].values[0].amount == 1200
    mine.write_text(MINI_CATALOG.replace("amount: 1000.00", "amount: -1"))
    with pytest.raises(CatalogError, match="must be >= 0"):
        store.load_catalog([mine])


def test_a_damaged_cache_is_ignored_and_replaced(cache: Path) -> None:
    store.load_catalog()
    [written] = list(cache.glob("catalog-*.json"))
    written.write_text('{"figures": ')
    assert "mit-scm" in store.load_catalog().programs
    assert written.read_bytes().startswith(store.HEADER)


def test_no_cache_when_asked(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMCOST_NO_CACHE", "1")
    store.load_catalog()
    assert not cache.exists()


def test_old_cache_files_are_pruned(cache: Path, tmp_path: Path) -> None:
    for index in range(store.KEEP_CACHED + 3):
        mine = tmp_path / f"mine{index}.yaml"
        mine.write_text(MINI_CATALOG)
        store.load_catalog([mine])
    assert len(list(cache.glob("catalog-*.json"))) == store.KEEP_CACHED


def test_each_record_has_the_fields_of_its_pydantic_model() -> None:
    models = [item for item in vars(schema).values() if isinstance(item, type) and issubclass(item, BaseModel)]
    records = [model_class for model_class in models if hasattr(model, model_class.__name__)]
    assert {record.__name__ for record in records} >= {"DatedValue", "Figure", "Program", "Pathway", "Degree"}
    for model_class in records:
        record = getattr(model, model_class.__name__)
        assert set(record._fields) == set(model_class.model_fields), model_class.__name__


def test_a_tiered_catalog_prices_the_same_from_the_cache(cache: Path, tmp_path: Path) -> None:
    # The drift this guards against: a Decimal field (income_up_to) the codec did not know came back
    # from the cache as text, and the second, cached run with an income ended in a TypeError.
    tiered = tmp_path / "tiered.yaml"
    tiered.write_text(
        MINI_CATALOG.replace(
            '      - {amount: 90.00, currency: USD, year: 2020, applies_to: "2020", source: "https://example.edu/fees-2020"}\n'
            '      - {amount: 100.00, currency: USD, year: 2022, applies_to: "2022", source: "https://example.edu/fees-2022"}\n',
            '      - {amount: 60.00, currency: USD, year: 2022, tier: low, income_up_to: 50000, applies_to: "2022", source: "https://example.edu/t"}\n'
            '      - {amount: 100.00, currency: USD, year: 2022, tier: high, applies_to: "2022", source: "https://example.edu/t"}\n',
        )
    )
    fresh = store.load_catalog([tiered], bundled=False)
    cached = store.load_catalog([tiered], bundled=False)
    assert list(cache.glob("catalog-*.json"))
    [value, _] = cached.figures["demo-course-fee"].values
    assert value.income_up_to == Decimal(50000) and isinstance(value.income_up_to, Decimal)
    # Income 30,000 is under the low tier's 50,000 limit: 3 courses x 60 + exam 50 = 230.
    for catalog in (fresh, cached):
        assert estimate(catalog, "demo", "uni", Request.of(income="30000")).micromasters_cost == Decimal("230.00")


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ('"amount":"1000.00"', '"amount":1000.0'),
        ('"amount":"1000.00"', '"amount":"NaN"'),
        ('"amount":"1000.00"', '"amount":"1e400"'),
        ('"amount":"1000.00"', '"amount":"-5"'),
        ('"amount":"1000.00"', '"amount":null'),
        ('"label":"MSc tuition per course"', '"label":7'),
        ('"courses_required":10', '"courses_required":"10"'),
        ('"courses_required":10', '"courses_required":-10'),
        ('"year":2022', '"year":' + "1" * 5000),
    ],
)
def test_a_cache_of_the_wrong_types_or_ranges_is_validated_again(
    cache: Path, tmp_path: Path, good: str, bad: str
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_CATALOG)
    expected = store.load_catalog([mine], bundled=False)
    [written] = list(cache.glob("catalog-*.json"))
    payload = written.read_bytes().partition(b"\n")[2].decode()
    assert good in payload
    damaged = payload.replace(good, bad, 1).encode()
    # Signed again, as if mmcost had written it: the codec's own checks must catch it.
    written.write_bytes(store._header(damaged) + b"\n" + damaged)
    assert store.load_catalog([mine], bundled=False) == expected


def test_an_edited_amount_is_noticed(cache: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_CATALOG)
    expected = store.load_catalog([mine], bundled=False)
    [written] = list(cache.glob("catalog-*.json"))
    data = written.read_bytes()
    assert b'"amount":"1000.00"' in data
    written.write_bytes(data.replace(b'"amount":"1000.00"', b'"amount":"1.00"', 1))  # a plausible value
    assert store.load_catalog([mine], bundled=False) == expected


def test_an_edit_of_the_same_size_and_time_is_noticed(cache: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_CATALOG)
    store.load_catalog([mine], bundled=False)
    status = mine.stat()
    mine.write_text(MINI_CATALOG.replace("amount: 1000.00", "amount: 1200.00"))  # the same size
    os.utime(mine, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert store.load_catalog([mine], bundled=False).figures["msc-tuition"].values[0].amount == 1200


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_cache_entry_that_is_not_a_file_is_not_read(cache: Path, tmp_path: Path, kind: str) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_CATALOG)
    expected = store.load_catalog([mine], bundled=False)
    [written] = list(cache.glob("catalog-*.json"))
    written.unlink()
    if kind == "fifo":
        os.mkfifo(written)  # opening it for reading would wait for a writer forever
    else:
        zero = tmp_path / "zero"
        os.mknod(zero, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # our own /dev/zero: endless bytes
        written.symlink_to(zero)
    assert store.load_catalog([mine], bundled=False) == expected


def test_pruning_removes_only_mmcosts_own_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    theirs = [shared / f"catalog-{index:032x}.json" for index in range(store.KEEP_CACHED + 2)]
    for path in theirs:
        path.write_text("{}")  # someone else's files, named like ours
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "mmcost").symlink_to(shared)  # the cache folder is a link to a shared folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("MMCOST_NO_CACHE", raising=False)
    for index in range(store.KEEP_CACHED + 3):
        mine = tmp_path / f"mine{index}.yaml"
        mine.write_text(MINI_CATALOG)
        store.load_catalog([mine], bundled=False)
    assert all(path.read_text() == "{}" for path in theirs)
    ours = [path for path in shared.iterdir() if path.read_bytes().startswith(store.HEADER)]
    assert len(ours) == store.KEEP_CACHED


@pytest.mark.parametrize(("home", "xdg"), [(None, None), ("relative/home", None), ("relative/home", "relative/cache")])
def test_no_usable_cache_folder_means_running_uncached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: str | None, xdg: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MMCOST_NO_CACHE", raising=False)
    for name, value in (("HOME", home), ("XDG_CACHE_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert store.cache_dir() is None
    assert store.load_catalog() == validate()
    assert list(tmp_path.iterdir()) == []  # nothing written relative to where it runs


def test_the_codec_covers_every_field_type() -> None:
    for record in (model.DatedValue, model.Figure, model.Program, model.Pathway, model.Degree, model.Catalog):
        for name, kind in typing.get_type_hints(record, vars(model)).items():
            assert store._decoder(kind) is not None, (record.__name__, name)


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/learner")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the XDG spec: relative paths are invalid, ignore them
    assert store.cache_dir() == Path("/home/learner/.cache/mmcost")
