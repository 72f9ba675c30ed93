"""Deliveries (messages owed to Slack) and their worker: retries with backoff and jitter, honouring
Retry-After, no duplicates after a timeout or a crash (a Delivery is looked up by its key before it is
posted again), and the record of the messages actually posted (for later updates).

The outbox rows themselves live with the incidents (bot.incidents.records); this package keeps the
delivery mechanics beside them and knows nothing of Slack."""

from bot.delivery.backoff import delay
from bot.delivery.worker import Worker

__all__ = ["Worker", "delay"]
