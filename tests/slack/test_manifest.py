"""manifest.yml is valid for Slack (vendored official schema) and declares exactly what the app handles."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.slack.ids import CHECK_MESSAGE, REPORT_MESSAGE, SNS_ASK, SNS_CHECK

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "data" / "manifest.schema.1.0.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def manifest():
    return yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


def test_manifest_is_valid_against_slack_schema(manifest):
    jsonschema.Draft7Validator(SCHEMA).validate(manifest)


def test_schema_rejects_a_broken_manifest(manifest):
    manifest["features"]["shortcuts"][0]["name"] = "とても長いショートカットの名前で二十四文字を超えてしまう例です"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(manifest)


def test_manifest_declares_the_surfaces_the_app_handles(manifest):
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {SNS_ASK, SNS_CHECK}
    shortcuts = {(s["type"], s["callback_id"], s["name"]) for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {("message", CHECK_MESSAGE, "投稿前チェック"), ("message", REPORT_MESSAGE, "なりすまし・炎上を報告")}
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im", "app_home_opened",
                                                                    "message.channels", "message.groups"}
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"]


def test_manifest_asks_for_the_smallest_scopes(manifest):
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == ["app_mentions:read", "channels:history", "chat:write",
                                                                  "commands", "groups:history", "im:history", "im:write",
                                                                  "users:read"]
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_every_scope_says_why():
    """Each bot scope in manifest.yml carries its reason in a comment (users:read: display names, no e-mail)."""
    import re

    text = (Path(__file__).resolve().parents[2] / "manifest.yml").read_text(encoding="utf-8")
    for scope in ("users:read", "im:write", "chat:write"):
        [line] = [ln for ln in text.splitlines() if re.match(rf"\s+- {re.escape(scope)}\s", ln)]
        assert "#" in line and len(line.split("#", 1)[1].strip()) > 10, scope
    assert "users:read.email" not in text.replace("users:read.email not asked", "")


def test_http_variant_from_the_readme_is_valid(manifest):
    """README's HTTP setup: Socket Mode off and the request URL on events, interactivity and commands."""
    url = "https://sns-bot.town.urausu.example/slack/events"
    manifest["settings"]["socket_mode_enabled"] = False
    manifest["settings"]["event_subscriptions"]["request_url"] = url
    manifest["settings"]["interactivity"]["request_url"] = url
    for command in manifest["features"]["slash_commands"]:
        command["url"] = url
    jsonschema.Draft7Validator(SCHEMA).validate(manifest)
