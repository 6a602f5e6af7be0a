"""Django's PostgreSQL backend, with a limit on how long the app waits for the server to answer.

connect_timeout bounds connecting, and statement_timeout lets the server cancel a slow statement;
neither helps when the server stops answering on a connection already open (frozen by SIGSTOP, a
hung host, a network partition that leaves the socket up: the kernel keeps acknowledging, so TCP
never notices). Every wait of psycopg on such a connection is then bounded by
DB_ANSWER_TIMEOUT_MS: past it the connection is closed (its state is unknown, Django opens a new
one for the next request) and the driver raises OperationalError, which the site answers with its
503 page (pcc/health.py).
"""

from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class DeadlineConnection(psycopg.Connection):
    def wait(self, gen, interval: float = 0.1, timeout: float | None = None):
        limit = getattr(settings, "DB_ANSWER_TIMEOUT_MS", 0) / 1000
        if timeout is None and limit > 0:
            timeout = limit
        try:
            return super().wait(gen, interval=interval, timeout=timeout)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {timeout:g} s; connection closed"
            ) from None


class _Driver:
    """The psycopg module as Django's backend sees it, connecting with DeadlineConnection."""

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)

    @staticmethod
    def connect(*args: Any, **kwargs: Any) -> DeadlineConnection:
        return DeadlineConnection.connect(*args, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    # psycopg with a deadline on connect: a module stand-in, which the stubs cannot know.
    Database = _Driver()  # type: ignore[assignment]
