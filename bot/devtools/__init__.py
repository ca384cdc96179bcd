"""Tools for developing and testing, never imported by the running bot: the fake Bot API
server (`fakeapi`), the sandbox that shows it in a browser (`sandbox`), and the
recording request and update builders conversation tests drive the bot with
(`recording`)."""
