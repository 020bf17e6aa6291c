"""Ctrl-C stops the work even when it lands in a finaliser (appealkit/interrupts.py)."""

from __future__ import annotations

import gc
import os
import signal
import sys

import pytest
from test_batch import batch_workspace, run_build

from appealkit.interrupts import ctrl_c_stops


class _PressedInFinaliser:
    """An object whose `__del__` is running when Ctrl-C comes, as a PDF library's may be."""

    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(10_000))  # Python runs the handler here, inside __del__


@pytest.fixture
def default_ctrl_c():
    """Ctrl-C handled as Python does by default (a test runner's worker may ignore it)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_python_alone_loses_a_press_inside_a_finaliser(default_ctrl_c, monkeypatch):
    lost = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: lost.append(unraisable.exc_type))
    _PressedInFinaliser()  # Python prints "Exception ignored", and the work goes on
    assert lost == [KeyboardInterrupt]


def test_a_press_inside_a_finaliser_stops_at_the_next_checkpoint(default_ctrl_c):
    went_on = False
    with pytest.raises(KeyboardInterrupt), ctrl_c_stops() as checkpoint:
        _PressedInFinaliser()
        went_on = True
        checkpoint()
        went_on = False
    assert went_on  # the press was remembered, not raised inside __del__
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_press_inside_a_garbage_collector_callback_stops_at_the_next_checkpoint(default_ctrl_c):
    """A library's gc callback (Hypothesis installs one) runs where an exception is lost, as __del__."""
    pressed = []

    def callback(phase, info):
        if phase == "start" and not pressed:
            pressed.append(1)
            os.kill(os.getpid(), signal.SIGINT)
            sum(range(10_000))  # the handler runs here, inside the callback

    lost = []
    gc.callbacks.append(callback)
    try:
        with pytest.raises(KeyboardInterrupt), ctrl_c_stops() as checkpoint:
            previous, sys.unraisablehook = sys.unraisablehook, lambda unraisable: lost.append(unraisable)
            try:
                gc.collect()
            finally:
                sys.unraisablehook = previous
            checkpoint()
    finally:
        gc.callbacks.remove(callback)
    assert pressed and lost == []  # remembered, not raised inside the callback


def test_a_press_swallowed_anywhere_stops_when_the_block_ends(default_ctrl_c):
    with pytest.raises(KeyboardInterrupt), ctrl_c_stops():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            sum(range(10_000))
        except KeyboardInterrupt:
            pass  # as a library's `except BaseException` without a raise would


def test_another_handler_is_left_alone(default_ctrl_c):
    heard = []
    signal.signal(signal.SIGINT, lambda *_: heard.append(1))
    with ctrl_c_stops() as checkpoint:
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(10_000))
        checkpoint()
    assert heard == [1]


def test_a_build_pressed_in_a_finaliser_stops_before_its_manifest(tmp_path, default_ctrl_c):
    root = batch_workspace(tmp_path / "ws")
    heard = []

    def progress(outcome, done, total):
        heard.append(outcome.id)
        _PressedInFinaliser()

    with pytest.raises(KeyboardInterrupt):
        run_build(root, jobs=1, progress=progress)
    out = root / "build" / "test"
    assert len(heard) == 1  # the next letter's result met the checkpoint
    assert not (out / "manifest.json").exists()
    assert len(list(out.glob("*--*.docx"))) < 6
