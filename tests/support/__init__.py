"""Helpers shared by the tests: the chat driver for conversation tests, running ideabot
as a process for end-to-end tests, and a clock the tests move."""
