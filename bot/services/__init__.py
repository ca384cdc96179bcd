"""Use cases over storage: each service takes the database (and, where people must be
told something, a `Notifier`) and returns the core's views, never database rows. No
service knows a messenger, a chat or a screen."""
