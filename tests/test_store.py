"""The catalog cache: the same catalog as validation gives, never stale, never trusted blindly."""

from __future__ import annotations

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
    assert written.read_text().startswith('{"figures": {')


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
        ('"amount": "1000.00"', '"amount": 1000.0'),
        ('"amount": "1000.00"', '"amount": "NaN"'),
        ('"amount": "1000.00"', '"amount": null'),
        ('"label": "MSc tuition per course"', '"label": 7'),
        ('"courses_required": 10', '"courses_required": "10"'),
    ],
)
def test_a_cache_of_the_wrong_types_is_validated_again(cache: Path, tmp_path: Path, good: str, bad: str) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_CATALOG)
    expected = store.load_catalog([mine], bundled=False)
    [written] = list(cache.glob("catalog-*.json"))
    text = written.read_text()
    assert good in text
    written.write_text(text.replace(good, bad, 1))
    assert store.load_catalog([mine], bundled=False) == expected


def test_the_codec_covers_every_field_type() -> None:
    for record in (model.DatedValue, model.Figure, model.Program, model.Pathway, model.Degree, model.Catalog):
        for name, kind in typing.get_type_hints(record, vars(model)).items():
            assert store._decoder(kind) is not None, (record.__name__, name)
