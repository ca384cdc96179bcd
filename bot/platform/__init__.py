"""The wire: one python-telegram-bot Application per platform, the tolerant long polling,
the gateway every update goes through (one unit of work each, in per-chat order), the
one sender, the messenger that implements the core's `Notifier`, and the command menus.
The messenger framework appears here and in `handlers/`, nowhere else."""
