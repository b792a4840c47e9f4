"""A job in a forked child process while this one works on: the speed tricks' one mechanism.

Used by the draw's helper (:mod:`shuijie.core.draw`), the objects loader (a provincial CSV's
second part read by a child, :mod:`shuijie.registries.load`), the papers worker
(:mod:`shuijie.papers.worker`) and ``verify``'s second draw (:mod:`shuijie.stages.verify`).  The trick is optional in every sense: :func:`can_fork` is
false on one core and wherever ``os.fork`` does not exist (Windows), and the callers run the
job in their own process then.  Nothing POSIX-only is imported at module level.
"""

from __future__ import annotations

import os
import pickle
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from shuijie.core.errors import ShuijieError


def can_fork() -> bool:
    """Two cores or more, ``os.fork``, and no other thread running (a child has only the thread
    that forked: a lock another thread held, the import lock say, would stay held in it)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def switch(env: str, otherwise: bool) -> bool:
    """A speed trick's environment switch: ``env`` set to ``0``, off; to ``1``, on; else
    ``otherwise`` (the caller's own choice, by size)."""
    value = os.environ.get(env, "").strip()
    return value == "1" if value in ("0", "1") else otherwise


class Forked:
    """``job`` running in a forked child from now on.  :meth:`result` waits for its result (or
    its exception, re-raised here; ``RuntimeError`` when the child died); :meth:`stop` kills
    and reaps a child whose result is not wanted (call it in a ``finally``: a no-op after
    :meth:`result`).  Only where :func:`can_fork`."""

    def __init__(self, job: Callable[[], Any], what: str = "worker") -> None:
        import ctypes  # noqa: F401  (the child's imports done here: the child imports nothing)
        import gc
        import signal  # noqa: F401

        self.what = what
        _trim_heap()
        self._rfd, wfd = os.pipe()
        gc.freeze()  # the child shares this process's pages; keep the collector from touching them
        try:
            self.pid = os.fork()
        except OSError:
            os.close(self._rfd)
            os.close(wfd)
            raise
        finally:
            gc.unfreeze()
        if self.pid == 0:  # child
            _child(job, self._rfd, wfd)  # never returns
        os.close(wfd)
        self._done = False

    def result(self) -> Any:
        with os.fdopen(self._rfd, "rb") as fh:
            self._done = True
            data = fh.read()
        os.waitpid(self.pid, 0)
        if not data:
            raise RuntimeError(f"the {self.what} process died")
        status, value = pickle.loads(data)
        if status == "shuijie":
            cls, problems = value
            raise cls(problems)
        if status == "error":
            raise value
        return value

    def stop(self) -> None:
        if self._done:
            return
        import signal

        self._done = True
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        try:
            os.close(self._rfd)
        except OSError:
            pass


@contextmanager
def beside(job: Callable[[], Any], parallel: bool, what: str = "worker") -> Iterator[Callable[[], Any]]:
    """Run ``job`` in a forked child (when ``parallel`` and :func:`can_fork`) while the body
    runs; the body calls the yielded function to get ``job``'s result (or its exception,
    re-raised).  Otherwise the yielded function runs ``job`` here, when called."""
    if not parallel or not can_fork():
        yield job
        return
    child = Forked(job, what)
    try:
        yield child.result
    finally:
        child.stop()  # the body failed: the child is stopped and reaped (a no-op after result)


def _child(job: Callable[[], Any], rfd: int, wfd: int) -> None:
    code = 0
    try:
        os.close(rfd)
        _die_with_parent()
        try:
            payload = pickle.dumps(("ok", job()), protocol=pickle.HIGHEST_PROTOCOL)
        except ShuijieError as exc:  # sent to the parent, which raises it
            payload = pickle.dumps(("shuijie", (type(exc), exc.problems)))
        except BaseException as exc:
            try:
                payload = pickle.dumps(("error", exc))
            except Exception:
                payload = pickle.dumps(("error", RuntimeError(repr(exc))))
        with os.fdopen(wfd, "wb") as fh:
            fh.write(payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _trim_heap() -> None:
    """glibc: hand the heap's free pages back before forking.  A child's RSS counts every page
    it shares with this process, freed-but-kept ones too: at 1M objects verify's papers worker
    peaked at 499 MB without this, 469 MB with it (this process 335 -> 299 MB at the fork)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except Exception:  # not glibc (macOS, musl): nothing to hand back this way
        pass


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL when its parent dies (a killed command leaves no child behind)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass
