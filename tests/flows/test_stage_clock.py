"""The build's stage clock: wall time per stage and the build process's own CPU in it."""

from __future__ import annotations

import time

from flows.build import StageClock


def test_cpu_is_counted_for_work_not_for_waiting():
    clock = StageClock()
    time.sleep(0.3)
    clock.lap("waiting")
    started = time.process_time()
    while time.process_time() - started < 0.2:  # 0.2 s of CPU, however busy the machine is
        sum(range(1000))
    clock.lap("working")
    assert list(clock.seconds) == list(clock.cpu_seconds) == ["waiting", "working"]
    assert clock.seconds["waiting"] >= 0.3 and clock.cpu_seconds["waiting"] < 0.1
    assert clock.cpu_seconds["working"] >= 0.2 and clock.seconds["working"] >= clock.cpu_seconds["working"] - 0.01
