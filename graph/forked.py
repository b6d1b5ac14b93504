"""Run one stage of the build in a forked process while the build goes on in this one.

Why: the machine has two cores and the build used one. The SHACL gate and the analysis tables read
the finished graph and write their own files, needing nothing the other products make; forked, they
run beside the serialisations and the network model, and the build waits for them before it
publishes ``dist/``. A fork shares the assembled graph copy-on-write, so nothing is sent to the child
and only the stage's small result comes back.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from graph.errors import BuildError

T = TypeVar("T")


class Forked(Generic[T]):
    """``stage()`` running in a child process; :meth:`result` waits for it and returns its value, or
    raises its :class:`BuildError` as if it had run here."""

    def __init__(self, stage: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        self._answer, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(stage, send), daemon=True)
        self._process.start()
        send.close()

    def cancel(self) -> None:
        """End the child (the build failed here; what it writes is thrown away with the staging folder)."""
        self._process.terminate()
        self._process.join()
        self._answer.close()

    def result(self) -> T:
        try:
            kind, value = self._answer.recv()
        except EOFError:
            kind, value = "crash", None
        finally:
            self._answer.close()
            self._process.join()
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        raise RuntimeError(f"a build stage failed in its own process (exit code {self._process.exitcode})"
                           + (f":\n{value}" if value else ""))


def _run(stage: Callable[[], object], send: Connection) -> None:
    try:
        send.send(("ok", stage()))
    except BuildError as error:
        send.send(("error", error))
    except BaseException:  # noqa: BLE001 - any other failure travels as its traceback: a bug, not bad input
        send.send(("failed", traceback.format_exc()))
    finally:
        send.close()
