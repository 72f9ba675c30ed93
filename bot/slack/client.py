"""The Web API client: SLACK_API_URL as base URL, retries for connection errors, 429 (Retry-After) and
HTTP 500/502/503/504 with exponential backoff and jitter. The read timeout is long (BOT_SLACK_TIMEOUT_S,
30 s): a slow Slack is waited for; a request that timed out is never retried blindly (it may have been
done) — Deliveries are looked up before they are sent again (bot.slack.report_outbox)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import RandomJitter

from bot import config
from bot.config import SlackSettings

RETRY_STATUSES = (500, 502, 503, 504)


def timeout_seconds() -> float:
    return config.delivery().timeout_s


TIMEOUT_SECONDS = 30  # default of BOT_SLACK_TIMEOUT_S


class GatewayErrorRetryHandler(ServerErrorRetryHandler):
    """slack_sdk retries 500 and 503 only; Slack's edge also answers 502 and 504 when it is overloaded."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return response is not None and response.status_code in RETRY_STATUSES


class SafeConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Retry connection errors, but not a timeout: the request may have been done (urllib reports a read
    timeout as URLError(reason=timeout), which slack_sdk would retry, posting a message twice)."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def retry_handlers() -> list:
    """Retry connection errors and 5xx twice with backoff and jitter; 429 up to three times, honouring
    Retry-After."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5, jitter=RandomJitter())
    return [
        SafeConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=3),
        GatewayErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
    ]


def make_client(settings: SlackSettings) -> WebClient:
    return WebClient(
        token=settings.bot_token,
        base_url=settings.web_api_url,
        timeout=timeout_seconds(),
        retry_handlers=retry_handlers(),
        logger=logging.getLogger("bot.slack.web"),
    )
