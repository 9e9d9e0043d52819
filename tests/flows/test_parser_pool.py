"""The parser processes of a local build: light (no Prefect, no Great Expectations), deaf
to Ctrl-C, which the build handles for them, and gone without a teardown when the pool
closes (freeing their caches object by object cost the build most of a second)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from flows.build import parser_pool
from tests.flows.pool_probe import ctrl_c_ignored, keep_until_exit, loaded_modules


def test_parser_processes_import_neither_prefect_nor_great_expectations():
    with parser_pool(1) as pool:
        modules = set(pool.submit(loaded_modules).result())
    assert "transforms.stage" in modules  # the initializer's module
    assert not {m.split(".")[0] for m in modules} & {"prefect", "great_expectations", "flows", "expectations"}


def test_parser_processes_ignore_ctrl_c():
    with parser_pool(1) as pool:
        assert pool.submit(ctrl_c_ignored).result() is True


def test_parser_processes_end_without_tearing_down(tmp_path):
    plain = tmp_path / "plain"
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        pool.submit(keep_until_exit, str(plain)).result()
    assert plain.exists()  # a process that tears down frees the object (the probe works)
    parser = tmp_path / "parser"
    with parser_pool(1) as pool:
        pool.submit(keep_until_exit, str(parser)).result()
    assert not parser.exists()
