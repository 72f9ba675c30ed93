"""The shortcut 「なりすまし・炎上を報告」 opens a modal and files only on submit (end to end against the fake
Slack, HTTP and Socket Mode): the type preselected from the message, an optional note kept with the incident
and shown in its reply, the message link prefilled, cancel files nothing, a second report of the same message
is told 「既に報告されています」 with a link."""

from __future__ import annotations

import json

from bot.incidents import incidents, records
from tests.fakeslack import payloads
from tests.incidents.reportflow import CHANNEL, delivered, message_text

URL_TEXT = "Xで町の偽アカウントを見つけました https://x.com/urausu_fake と https://www.instagram.com/urausu_fake2/"


def _shortcut(text: str, user: str = "UJUM001") -> dict:
    return payloads.message_shortcut("report_message", text, "https://hooks.example/r", user=user, author="UELSEWHERE")


def _open(slack_app, fake_slack, text: str, user: str = "UJUM001"):
    payload = _shortcut(text, user)
    ack = slack_app.interactive(payload)
    assert ack.status == 200 and ack.seconds < 1.0  # acked first, the modal follows
    [opened] = fake_slack.wait_for("views.open")
    assert opened.params["trigger_id"] == payload["trigger_id"]
    return payload, opened.params["view"]


def _block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def _values(type_id: str | None, note: str | None = None) -> dict:
    option = {"text": {"type": "plain_text", "text": type_id}, "value": type_id} if type_id else None
    return {"report_type": {"choice": {"type": "static_select", "selected_option": option}},
            "report_note": {"text": {"type": "plain_text_input", "value": note}}}


def test_shortcut_opens_a_prefilled_modal_and_files_only_on_submit(slack_app, fake_slack, directory_file):
    payload, view = _open(slack_app, fake_slack, URL_TEXT)
    shown = json.dumps(view, ensure_ascii=False)
    assert view["callback_id"] == "report_modal" and view["submit"]["text"] == "報告する"
    select = _block(view, "report_type")["element"]
    assert [o["value"] for o in select["options"]] == ["impersonation", "flaming", "negative"]
    assert [o["text"]["text"] for o in select["options"]] == ["なりすまし", "炎上", "否定的な記述"]
    assert select["initial_option"]["value"] == "impersonation"  # preselected from the message's words
    note = _block(view, "report_note")
    assert note["optional"] and note["element"]["multiline"] and note["element"]["max_length"] == 500
    link = f"https://urausu-town.slack.com/archives/{CHANNEL}/p{payload['message']['ts'].replace('.', '')}"
    assert f"<{link}|" in shown  # chat.getPermalink's link to the message
    assert "https://x.com/urausu_fake" in shown and "https://instagram.com/urausu_fake2" in shown
    assert "偽アカウントを見つけました" not in view["private_metadata"]  # where the message is, not its text
    delivered()
    assert incidents() == [] and fake_slack.calls_to("chat.postMessage") == []  # nothing filed yet

    note_text = "住民の方から電話で教えていただきました。DMで個人情報を聞いているそうです"
    ack = slack_app.interactive(payloads.view_submission(view, _values("impersonation", note_text), user="UJUM001"))
    assert ack.status == 200 and not (ack.payload or {}).get("errors")
    [inc] = incidents()  # stored before the ack
    assert (inc.type, inc.reporter, inc.department, inc.url) == ("impersonation", "UJUM001", "住民課", "https://x.com/urausu_fake")
    assert inc.thread_ts == payload["message"]["ts"] and inc.note == note_text
    [reply] = fake_slack.wait_for("chat.postMessage")
    assert reply.params["thread_ts"] == payload["message"]["ts"]
    shown = message_text(reply)
    assert "<@UJUMHEAD>" in shown and "<@UGAHEAD>" in shown and "7(3)①" in shown
    assert "報告者の補足" in shown and "DMで個人情報を聞いているそうです" in shown  # the note is in the reply


def test_the_reporter_may_choose_another_type(slack_app, fake_slack, directory_file):
    _, view = _open(slack_app, fake_slack, "これ見てください")
    assert _block(view, "report_type")["element"]["initial_option"]["value"] == "negative"  # vague: the default
    slack_app.interactive(payloads.view_submission(view, _values("flaming"), user="UJUM001"))
    [reply] = fake_slack.wait_for("chat.postMessage")
    assert "炎上の報告を受け付けました" in message_text(reply) and "7(2)①" in message_text(reply)
    assert incidents()[0].type == "flaming" and incidents()[0].note == ""


def test_cancel_files_nothing(slack_app, fake_slack, directory_file):
    _, view = _open(slack_app, fake_slack, URL_TEXT)
    closed = {"type": "view_closed", "team": {"id": "T0TEAM", "domain": "urausu-town"}, "user": {"id": "UJUM001"},
              "api_app_id": "A0APP", "view": {**view, "id": "V0MODAL"}, "is_cleared": False}
    assert slack_app.interactive(closed).status == 200
    delivered()
    fake_slack.assert_no_more("chat.postMessage", 0)
    assert incidents() == [] and records.pending() == []


def test_second_report_of_the_same_message_says_already_reported(slack_app, fake_slack, directory_file):
    payload, view = _open(slack_app, fake_slack, URL_TEXT)
    first = payloads.view_submission(view, _values("impersonation"), user="UJUM001")
    slack_app.interactive(first)
    fake_slack.wait_for("chat.postMessage")
    # the same submission again (a replay) files nothing and the modal says so, with a link
    again = slack_app.interactive(first)
    assert again.status == 200 and again.payload["response_action"] == "update"
    assert "既に報告されています" in json.dumps(again.payload["view"], ensure_ascii=False)
    # the shortcut on the same message (someone else): told at once, with a link, no modal
    slack_app.interactive(dict(payload, user={"id": "USAN001", "name": "usan001"}, trigger_id="9.x"))
    [eph] = fake_slack.wait_for("chat.postEphemeral")
    assert eph.params["user"] == "USAN001" and "既に報告されています" in eph.params["text"]
    assert f"archives/{CHANNEL}/p{payload['message']['ts'].replace('.', '')}" in eph.params["text"]
    delivered()
    fake_slack.assert_no_more("chat.postMessage", 1)
    assert len(incidents()) == 1 and len(fake_slack.calls_to("views.open")) == 1


def test_permalink_failure_falls_back_to_the_archives_link(slack_app, fake_slack, directory_file):
    fake_slack.fail_next("chat.getPermalink", "internal_error")
    payload, view = _open(slack_app, fake_slack, URL_TEXT)
    link = f"https://urausu-town.slack.com/archives/{CHANNEL}/p{payload['message']['ts'].replace('.', '')}"
    assert f"<{link}|" in json.dumps(view, ensure_ascii=False)


def test_bad_submissions_get_errors_under_the_input_and_file_nothing(slack_app, fake_slack, directory_file):
    _, view = _open(slack_app, fake_slack, URL_TEXT)
    long_note = slack_app.interactive(payloads.view_submission(view, _values("negative", "あ" * 501), user="UJUM001"))
    assert long_note.payload["response_action"] == "errors" and "500 文字以内" in long_note.payload["errors"]["report_note"]
    bad_type = slack_app.interactive(payloads.view_submission(view, _values("no_such_type"), user="UJUM001"))
    assert bad_type.payload["response_action"] == "errors" and "report_type" in bad_type.payload["errors"]
    delivered()
    assert incidents() == [] and fake_slack.calls_to("chat.postMessage") == []
