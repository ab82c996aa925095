"""The chat's login check: constant-time comparison and a brake on guessing.

Usage: ``app.launch(auth=LoginGuard("user", "secret"))`` (Gradio calls it with the username and
password typed). Every wrong attempt costs ``delay`` seconds; after ``max_failures`` wrong
attempts within ``window`` seconds every login is refused for ``lockout`` seconds, the right
password included (Gradio does not tell the check who is asking, so the brake is global: a
flood of guesses also keeps the owner out until it stops).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable


class LoginGuard:
    def __init__(
        self,
        user: str,
        password: str,
        *,
        max_failures: int = 10,
        window: float = 60.0,
        lockout: float = 60.0,
        delay: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._user = user.encode()
        self._password = password.encode()
        self.max_failures, self.window, self.lockout, self.delay = (
            max_failures,
            window,
            lockout,
            delay,
        )
        self._clock, self._sleep = clock, sleep
        self._failures: deque[float] = deque()
        self._locked_until = 0.0
        self._lock = threading.Lock()

    def __call__(self, user: str, password: str) -> bool:
        now = self._clock()
        with self._lock:
            if now < self._locked_until:
                return False
        good = hmac.compare_digest(user.encode(), self._user) & hmac.compare_digest(
            password.encode(), self._password
        )
        if good:
            return True
        with self._lock:
            self._failures.append(now)
            while self._failures and self._failures[0] < now - self.window:
                self._failures.popleft()
            if len(self._failures) >= self.max_failures:
                self._locked_until = now + self.lockout
                self._failures.clear()
        self._sleep(self.delay)
        return False
