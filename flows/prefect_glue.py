"""Two adjustments to Prefect's defaults that the build flow needs at scale.

- `JsonParameterFlow`: the flow's parameters are recorded as they are when they are
  JSON already, instead of through Prefect's generic encoder.
- `Whole`: a task's per-file result is returned in one holder, so that Prefect does
  not walk every element to link it to the task run.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from prefect import Flow

T = TypeVar("T")


class Whole(Generic[T]):
    """A task's per-file result handed back to the flow in one piece (`.value`).

    Prefect links each element of a list or dict a task returns to that task run (to
    draw the dependencies of later tasks); for 5,000 files the walk costs about a tenth
    of a second per task on every run, unchanged or not.  The flow unwraps at once."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


class JsonParameterFlow(Flow):
    """A flow whose parameters are JSON values already (strings, numbers, booleans, None,
    lists of strings): they are recorded as they are.  Prefect's generic encoder, which
    would return the same values, costs half a second of every new process (it imports
    FastAPI); any other value still goes through it."""

    def serialize_parameters(self, parameters: dict) -> dict:
        if all(_plain_json(value) for value in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)


def _plain_json(value) -> bool:
    """
    >>> from pathlib import Path
    >>> _plain_json(["a", "b"]), _plain_json(None), _plain_json(3), _plain_json(Path("a")), _plain_json([1.5])
    (True, True, True, False, False)
    """
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return value is None or isinstance(value, (str, bool, int))
