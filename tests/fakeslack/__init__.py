"""Local fake Slack for end-to-end tests: nothing reaches slack.com.

Pieces (import from their modules):

``api.FakeSlackAPI`` — Web API over HTTP on 127.0.0.1.
    ``url``                         value for SLACK_API_URL / WebClient(base_url=...)
    ``calls`` / ``calls_to(m)``     every request, in order, as ``Call(method, params, headers, path, at)``;
                                    ``params`` merges query, form or JSON body; JSON strings in form fields
                                    (blocks, view, attachments) are decoded
    ``wait_for(m, count=1, timeout=5, where=fn)``  block until the calls happened (deterministic waiting)
    ``assert_no_more(m, count, settle=0.3)``       after waiting ``settle`` s, exactly ``count`` calls of m
    ``fail_next(m, error="internal_error", times=1, status=200)``  inject ``{"ok": false, "error": ...}``
    ``rate_limit_next(m, times=1, retry_after=1)``                 inject HTTP 429 with Retry-After
    ``response_url(tag)``           a response_url for payloads; POSTs to it are recorded as "response_url"
    ``users`` / ``missing_users``   answers for users.info (unknown id → a default profile; missing → user_not_found)
    ``replies[(channel, ts)]``      messages for conversations.replies
    ``handlers[m] = fn(params) -> dict``  override or add a method
    ``slow_next(m, seconds)``        answer late (the work is done, like a slow Slack)
    ``fail_after_work_next(m, 504)`` do the work, then answer an HTTP error (a gateway error after Slack acted)
    ``outage(503)`` / ``recover()``  every call answers HTTP 503 (nothing done) until recovered
    ``channel_errors[ch] = "not_in_channel"``  posts, updates and reads in that channel are refused
    ``before_answer[m] = fn(call)``  run after the work, before the answer (e.g. kill the app there)
    ``messages[ch]``, ``thread_replies(ch, ts)``, ``dms_to(user)``  what the app posted, with metadata;
    ``user_posted(event_body)`` people's messages (RunningApp.event calls it), listed by history/replies too;
    ``conversations.history``/``replies`` list them like Slack (metadata only with include_all_metadata),
    ``conversations.open`` gives ``dm_channel(user)``; posting to a user id lands in that DM
    Built-in answers: auth.test, chat.postMessage, chat.postEphemeral, chat.update, chat.getPermalink,
    views.open/update/publish/push, users.info, conversations.replies/history/open/info,
    apps.connections.open (needs the app token; returns the FakeSocketMode URL). Other tokens → invalid_auth.
    Like Slack, messages, views and response_url posts over Block Kit's limits (limits.py: 50 blocks per
    message, 100 per view, 3,000 characters per text, button value 2,000, …) are answered ``invalid_blocks``
    and listed in ``refusals``; the ``fake_slack`` fixture fails a test that caused any.

``socket_mode.FakeSocketMode(api)`` — Socket Mode WebSocket server; says ``hello`` on connect.
    ``send(envelope) -> envelope_id``, ``wait_ack(envelope_id) -> {"envelope_id", "payload"?}``,
    ``wait_connected()``, ``connects`` (count), ``wait_connects(n)``, ``request_refresh()`` (Slack's
    ``disconnect`` message), ``drop_connections()`` (abrupt; the client notices within its ping interval);
    envelope builders ``events_api(body, retry_attempt, retry_reason)``, ``slash_commands(form)``, ``interactive(payload)``.

``payloads`` — bodies in Slack's formats: ``message_im``, ``app_mention``, ``app_home_opened``
    (event callbacks with unique event_id), ``slash_command``, ``block_actions``, ``message_shortcut``,
    ``view_submission``. Ids: team T0TEAM, app A0APP, bot U0BOT, staff U0STAFF, channel C0GENERAL.

``drivers`` — ``HttpDriver(url, secret)`` posts with real v0 signatures (events as JSON, commands as a form,
    interactions as form ``payload=``; ``retry_num`` sets X-Slack-Retry-Num; ``signed=False``/``timestamp=``/
    ``secret=`` for signature tests); ``SocketDriver(server)`` sends envelopes and waits for the ack.
    Both return ``Ack(status, payload, seconds)``. ``sign(secret, body, ts)`` gives the headers.

``harness.RunningApp(mode, api, socket)`` — the real app (create_app) in-process in "http" or "socket"
    mode: ``event(body, retry_num=)``, ``command(form)``, ``interactive(payload)``, ``restart()``, ``stop()``.

``fixtures`` — ``fake_slack``, ``fake_socket``, ``slack_mode`` (params http/socket), ``slack_app``
    (a RunningApp per mode). Every test has its own BOT_DB (root conftest).

Typical test::

    def test_dm(slack_app, fake_slack):
        slack_app.event(payloads.message_im("勤務中にSNSを見てもいいですか"))
        [call] = fake_slack.wait_for("chat.postMessage")
        assert call.params["channel"] == payloads.DM
"""
