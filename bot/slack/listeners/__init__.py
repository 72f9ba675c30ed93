"""Listener kinds, each a package with ``register(app)`` and one small module per listener
(like slack-samples/bolt-python-starter-template). Every listener acks first and works after, in a
Bolt lazy listener, so the acknowledgement never waits for the core or the Web API."""

from bot.slack.listeners import actions, commands, events, shortcuts, views

# create_app() registers these in order; a new job (e.g. Report) adds its kinds' listeners in them.
KINDS = [commands, events, actions, shortcuts, views]


def register_all(app) -> None:
    for kind in KINDS:
        kind.register(app)
