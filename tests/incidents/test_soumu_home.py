"""総務課's Home: every open incident with a link to its thread, type, owner (display name), age and next step,
then the latest unanswered questions and 👎 answers; other staff see only their own incidents."""

from __future__ import annotations

import json

from bot import feedback, store
from bot.incidents import classify, incidents, next_step, submit
from tests.fakeslack import payloads


def _publish(slack_app, fake_slack, user: str, count: int = 1) -> str:
    slack_app.event(payloads.app_home_opened(user=user))
    [*_, call] = fake_slack.wait_for("views.publish", count=count)
    assert call.params["user_id"] == user
    return json.dumps(call.params["view"]["blocks"], ensure_ascii=False)


def _seed():
    a = submit(classify("Xで町の偽アカウントを見つけました https://x.com/urausu_fake"), reporter="USAN001",
               channel="C0GENERAL", thread_ts="1764636000.000100", message_key="C0GENERAL:1764636000.000100").incident
    b = submit(classify("町の投稿が炎上しています"), reporter="UJUM001", channel="C0OTHER",
               thread_ts="1764636100.000200", message_key="C0OTHER:1764636100.000200").incident
    return a, b


def test_general_affairs_sees_every_open_incident_with_thread_links(slack_app, fake_slack, directory_file):
    a, b = _seed()
    db = store.db()
    db.execute("update incidents set created = '2026-11-28T23:00:00+00:00' where id = ?", [a.id])  # 3 days ago (JST)
    if "owner" in db["incidents"].columns_dict:
        db.execute("update incidents set owner = 'UGA0002' where id = ?", [b.id])
    fake_slack.users["UGA0002"] = {"id": "UGA0002", "profile": {"display_name": "そうむ二郎", "real_name": "総務 二郎"}}
    feedback.log_unanswered("職員の名刺にSNSのアカウントを書いてもいいですか", "dm")
    feedback.record_feedback("写真に写った住民の顔はぼかすべき？", ["6(4)"], "down", "USAN002")
    shown = _publish(slack_app, fake_slack, "UGA0001")
    assert "対応中の報告（すべて）* — 2 件" in shown
    assert "<https://urausu-town.slack.com/archives/C0GENERAL/p1764636000000100|スレッドを開く>" in shown
    assert "<https://urausu-town.slack.com/archives/C0OTHER/p1764636100000200|スレッドを開く>" in shown
    permalinks = fake_slack.calls_to("chat.getPermalink")
    assert {(c.params["channel"], c.params["message_ts"]) for c in permalinks} == \
        {("C0GENERAL", "1764636000.000100"), ("C0OTHER", "1764636100.000200")}
    assert "#1 なりすまし" in shown and "#2 炎上" in shown
    from bot.incidents.when import age_days

    assert f"{age_days('2026-11-28T23:00:00+00:00')}日経過" in shown and "今日の報告" in shown
    for inc in incidents(open_only=True):
        assert f"次の手順: {next_step(inc).name}" in shown
    if "owner" in db["incidents"].columns_dict:
        assert "担当: そうむ二郎" in shown and "UGA0002" not in shown
    assert "担当: （まだいません）" in shown
    assert "職員の名刺にSNSのアカウントを書いてもいいですか" in shown and "（1 件" in shown
    assert "写真に写った住民の顔はぼかすべき？" in shown and "6(4)" in shown


def test_other_staff_see_only_their_own_incidents(slack_app, fake_slack, directory_file):
    _seed()
    feedback.log_unanswered("職員の名刺にSNSのアカウントを書いてもいいですか", "dm")
    shown = _publish(slack_app, fake_slack, "USAN001")
    assert "あなたに関係する対応中の報告* — 1 件" in shown and "#1 なりすまし" in shown and "#2" not in shown
    assert "名刺" not in shown and "スレッドを開く" not in shown
    fake_slack.assert_no_more("chat.getPermalink", 0, settle=0)


def test_many_open_incidents_stay_within_block_kit_limits(slack_app, fake_slack, directory_file):
    for n in range(45):
        submit(classify(f"町の悪口が書かれています https://example.com/post/{n}"), reporter=f"UX{n:04d}",
               channel="C0GENERAL", thread_ts=f"17646360{n:02d}.000100", message_key=f"k{n}", directory=None)
    for n in range(8):
        feedback.record_feedback("とても長い質問" * 60 + str(n), ["6(4)"], "down", "USAN002")
    shown = _publish(slack_app, fake_slack, "UGA0001")
    assert "— 45 件" in shown and "ほか 15 件" in shown
    # the fake refuses views over Block Kit's limits (100 blocks, 3,000 characters per text): none was refused
    assert not fake_slack.refusals
