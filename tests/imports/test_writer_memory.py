"""The SQLite settings a bulk load runs under: a bounded page cache, no memory map, and both put back after."""

from __future__ import annotations

import sqlite3

from kurukan.imports import writer


def _backend(path) -> tuple[writer._SqliteBackend, sqlite3.Connection]:
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA cache_size=-65536")
    raw.execute("PRAGMA mmap_size=268435456")  # what settings.py gives every connection
    backend = writer._SqliteBackend.__new__(writer._SqliteBackend)  # a plain connection, not Django's
    backend.raw = raw
    return backend, raw


def _settings(raw: sqlite3.Connection) -> tuple[int, int]:
    return raw.execute("PRAGMA cache_size").fetchone()[0], raw.execute("PRAGMA mmap_size").fetchone()[0]


def test_a_load_reads_through_its_page_cache_only_and_the_connection_gets_its_settings_back(tmp_path):
    backend, raw = _backend(tmp_path / "load.sqlite3")
    before = _settings(raw)
    assert before == (-65536, 268435456)
    with backend.tuned():
        # a bounded page cache and no map on top of it: a million-row load peaked at 604 MB with both
        assert _settings(raw) == (-writer.LOAD_CACHE_KB, 0)
        assert writer.LOAD_CACHE_KB <= 192 * 1024
    assert _settings(raw) == before


def test_the_settings_come_back_when_the_load_fails(tmp_path):
    backend, raw = _backend(tmp_path / "failed.sqlite3")
    try:
        with backend.tuned():
            raise RuntimeError("a batch failed")
    except RuntimeError:
        pass
    assert _settings(raw) == (-65536, 268435456)
