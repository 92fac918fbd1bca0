"""The catalog cache: the same catalog as validation gives, never stale, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmcost import store
from mmcost.catalog import load_catalog as validate
from mmcost.errors import CatalogError
from mmcost.model import catalog_to_plain

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
    assert catalog_to_plain(second) == catalog_to_plain(first) == catalog_to_plain(validate())
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
