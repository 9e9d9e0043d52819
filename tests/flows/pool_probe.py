"""Run inside a parser process by tests/flows/test_parser_pool.py (a spawned process
imports the module of what it runs: this one imports nothing)."""

from __future__ import annotations


def loaded_modules() -> list[str]:
    import sys

    return sorted(sys.modules)


def ctrl_c_ignored() -> bool:
    import signal

    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


class _Finalized:
    def __init__(self, path: str) -> None:
        self.path = path

    def __del__(self, _open=open) -> None:  # (bound now: at teardown the builtins may be gone)
        with _open(self.path, "w") as fh:
            fh.write("torn down")


_kept: list[_Finalized] = []


def keep_until_exit(path: str) -> None:
    """Keep an object that writes `path` when it is freed (at teardown, if any)."""
    _kept.append(_Finalized(path))
