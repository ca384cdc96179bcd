"""Marks that read the same in every language, shown on buttons and in lists."""

CHOSEN = "✓ "  # before the option chosen before
ON = "✅"  # a subject or area switched on
OFF = "▫️"  # switched off
DONE_MARK = "✓"  # the only word of a message that takes a reply keyboard away
PROBLEM = "⚠️ "  # before what went wrong with an answer
