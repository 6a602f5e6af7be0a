"""The machine's own services, as the tests that share pages through them find them."""

import socket


def redis_answers() -> bool:
    """Whether a Redis answers on 127.0.0.1:6379 (CI starts one; .ci/run)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False
