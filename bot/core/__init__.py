"""The core: plain values and rules, with no messenger framework, no database and no
storage: the vocabulary, statuses, tracking codes, Persian text rules, Jalali dates,
the platforms' differences, the views services return, notices and the `Notifier` they
go to, and the conversation graphs with their one engine."""
