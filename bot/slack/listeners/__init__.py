"""Listener kinds, each a package with ``register(app)`` and one small module per listener
(like slack-samples/bolt-python-starter-template); bot.slack.app registers them. Every listener acks
first and works after, in a Bolt lazy listener, so the acknowledgement never waits for the core or the
Web API."""
