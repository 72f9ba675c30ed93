"""The Web API client: SLACK_API_URL as base URL, retries for connection errors, 429 and 5xx."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import SlackSettings

TIMEOUT_SECONDS = 10


def retry_handlers() -> list:
    """Retry connection errors and 5xx twice; 429 up to three times, honouring Retry-After."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def make_client(settings: SlackSettings) -> WebClient:
    return WebClient(
        token=settings.bot_token,
        base_url=settings.web_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
        logger=logging.getLogger("bot.slack.web"),
    )
