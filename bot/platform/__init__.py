"""The wire: one python-telegram-bot Application per platform, the tolerant long polling,
the gateway every update goes through (one unit of work each, in per-chat order), the
one sender, the messenger that implements the core's `Notifier`, and the command menus.
The messenger framework appears here and in `handlers/`, nowhere else."""

import os

# The framework's future default, opted into now: `retry_after` is a timedelta (and no
# deprecation warning is raised each time a 429 is read).
os.environ.setdefault("PTB_TIMEDELTA", "1")
