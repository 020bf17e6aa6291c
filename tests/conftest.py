"""Settings every test shares: hypothesis profiles, the limit for a test that hangs, the example build.

Hypothesis runs the `ci` profile unless HYPOTHESIS_PROFILE says otherwise: derandomized, so
a run on CI is the same run every time and cannot flake, and without deadlines, since a
shared machine makes any example slow now and then. It reports a failing example as found,
without shrinking it (shrinking a letter build can take minutes, and CI has 20 in all).
`HYPOTHESIS_PROFILE=dev` explores new random examples on each run, shrinks a failure to the
smallest example, and keeps failing ones in .hypothesis/ to replay them.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def once_per_run(tmp_path_factory):
    """`once_per_run(name, make)`: what `make(folder)` returns, made once for the whole run.

    Under pytest-xdist the workers share it: the first to take the lock makes it in a folder of
    the run's common temporary folder and leaves it there, pickled, for the others. A module's
    own fixture may be set up several times a run (worksteal hands a worker one module's tests in
    more than one batch); through this, the work behind it is done once. What it returns is read,
    never changed: each caller gets its own unpickled copy, the files in the folder are shared.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's folder sits in the run's folder

    def made(name: str, make):
        with (shared / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            kept = shared / f"{name}.pickle"
            if kept.exists():
                return pickle.loads(kept.read_bytes())
            folder = shared / name
            if folder.exists():  # an earlier worker's make failed there: its error is its test's, try again afresh
                folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=shared))
            folder.mkdir(exist_ok=True)
            value = make(folder)
            kept.with_suffix(".tmp").write_bytes(pickle.dumps(value))
            kept.with_suffix(".tmp").rename(kept)
            return value

    return made


@pytest.fixture(scope="session")
def example_build(once_per_run):
    """The example campaign (campaigns/bonn-2025.yaml) built once for every test module that reads it.

    The letters are read, never changed: a test that edits a file builds its own workspace.
    """
    from helpers import REPO

    from appealkit.batch.build import build
    from appealkit.source.campaign import load_campaign_file
    from appealkit.source.workspace import load_workspace

    def make(out):
        workspace = load_workspace(REPO)
        campaign = load_campaign_file(workspace, REPO / "campaigns" / "bonn-2025.yaml")
        result = build(workspace, campaign, out)
        assert not result.failed, [str(o.error) for o in result.failed]
        return result

    return once_per_run("bonn-2025", make)


def pytest_collection_modifyitems(items):
    """Tests marked slow run first, the rest after them in their usual order.

    Under `--dist worksteal` a test of 20 s that starts last keeps one core busy alone while the
    other has nothing left to take; started first, the short tests fill in around it. The sort is
    stable, so every xdist worker still collects the same order.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
