"""For the suite run under libfaketime only (``.ci/run`` puts this folder on PYTHONPATH).

libfaketime offsets the wall clock. It must leave the monotonic clock alone: offset too, every
timed wait (``Event.wait(timeout)``, ``Lock.acquire(timeout=...)``, ``Thread.join(timeout)``)
computes its deadline from the faked clock while the kernel waits on the real one, and never
wakes. Left alone (``FAKETIME_DONT_FAKE_MONOTONIC=1``), libfaketime's ``clock_nanosleep`` wrapper
answers EINVAL, which is what ``time.sleep`` calls; so here ``time.sleep`` waits on an Event.
"""

import threading
import time


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    threading.Event().wait(seconds)


time.sleep = _sleep
