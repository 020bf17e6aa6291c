"""Settings every test shares: hypothesis profiles, and a guard against a test that hangs.

Hypothesis runs the `ci` profile unless HYPOTHESIS_PROFILE says otherwise: derandomized, so
a run on CI is the same run every time and cannot flake, and without deadlines, since a
shared machine makes any example slow now and then. It reports a failing example as found,
without shrinking it (shrinking a letter build can take minutes, and CI has 20 in all).
`HYPOTHESIS_PROFILE=dev` explores new random examples on each run, shrinks a failure to the
smallest example, and keeps failing ones in .hypothesis/ to replay them.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Long enough that no machine, however loaded, reaches it unless something really hangs.
HANG_SECONDS = 300


@pytest.fixture
def hang_guard():
    """Fail a test that is still running after HANG_SECONDS: a guard against hanging, not a timing."""
    if sys.platform == "win32":
        yield
        return

    def hung(signum, frame):
        pytest.fail(f"still running after {HANG_SECONDS} s: something hangs", pytrace=False)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
