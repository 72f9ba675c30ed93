"""What a message to Ask is, before anything of it is searched or logged: a question, a greeting, a request
for help (「使い方」), or a draft post pasted by mistake (Check's personal-information detectors fire, or it
reads like a post and not like a question). Only questions are searched and may be logged.
"""

from __future__ import annotations

import re

from bot.text import nfkc, strip_controls

QUESTION, GREETING, HELP, DRAFT = "question", "greeting", "help", "draft"

_GREETING = re.compile(
    r"^(?:こんにちは|こんにちわ|こんばんは|こんばんわ|おはよう(?:ございます)?|お疲れ(?:様|さま)(?:です)?|おつかれ(?:さま)?(?:です)?|"
    r"ありがとう(?:ございます|ございました)?|よろしく(?:お願いします|お願いいたします)?|はじめまして|初めまして|"
    r"どうも|hi|hello|hey|テスト|test|やあ|もしもし|了解(?:です|しました)?|承知(?:しました)?|"
    r"わかりました|分かりました|おk|ok|okay|はい|いいえ|👍|🙏)[\s!！。、.~〜ー♪☺😊🙇]*$"
)
_HELP = re.compile(
    r"^(?:使い方|つかいかた|ヘルプ|help|\?|？|何ができる|なにができる|何ができますか|なにができますか|どう使う|どうやって使う|"
    r"使い方を?教えて|使い方は|このボットは何|このbotは何|ボットの使い方|botの使い方)"
    r"(?:を?教えて(?:ください|下さい)?|は|って|ですか|ますか|の|？|\?|。|!|！|\s)*$"
)
# a question's shape: asks something (final particles, question marks, requests for advice)
_QUESTION_SHAPE = re.compile(
    r"[?？]|(?:ですか|ますか|でしょうか|ませんか|かな|かね|のか|んですか|んでしょうか|いい|ok|ダメ|だめ|駄目|"
    r"アウト|セーフ|あり|なし|教えて(?:ください|下さい)?|知りたい|どうすれば|どうしたら|どうする|べき|大丈夫|平気|"
    r"いけない|いけません|なりますか|の|か)[\s。．.!！…〜ー]*$|どうすれば|どうしたら|してもいい|しても大丈夫|いいですか|可能ですか"
)
# a question that asks by its grammar without a question mark: 「どうすればいいのでしょう。」, a hedge left
# open for the listener (「…聞いた話だったのですが。」)
_IMPLIED_ASK = re.compile(r"(?:のでしょう|んでしょう|いいでしょう|のですが|んですが)[\s。．.!！…〜ー]*$")
# a post's look: headings, hashtags, links, announcements, signatures (strong: the form of a post) ...
_POST_FORM = (r"^【[^】]{1,20}】|#[^\s#]{1,30}|https?://|www\.|開催(?:します|いたします)|お待ちして(?:い)?ます|"
              r"ぜひ(?:お越し|ご参加|ご来場)|お問い?合わ?せ(?:先|は)|担当[:：\s]|ご参加ください")
_STRONG_SIGNS = re.compile(_POST_FORM)
# ... and an announcement's words, which staff also use when they ask about one (weak)
_POST_SIGNS = re.compile(_POST_FORM + r"|お知らせ|ご案内|詳しくは|申込|申し込み|ご来場")
# the asker recounts being asked or approached (「…と頼まれました」): a scenario question, not a post
_ASKED = re.compile(r"頼まれ|依頼され|聞かれ|尋ねられ|相談され|誘われ|求められ|お願いされ|打診され")
_ADDRESSES_READERS = re.compile(r"ください|下さい|しましょう|お待ち|ご覧")
# a terse query (「夏祭りの出店の申し込み締め切り」): one short line, no sentence ending, no figures,
# nothing said to readers
_NOT_TERSE = re.compile(r"[。．.!！?？、，,:：〜~♪☆★♡❤😊🎉✨\d]|ください|下さい")
TERSE_MAX = 40
_SENTENCE_END = re.compile(r"[。！!]\s*")


def _pii(text: str) -> bool:
    """Check's personal-information detectors (phone, e-mail, address, My Number) on the text."""
    from bot.screening import detectors
    from bot.screening.normalize import DraftText as Doc
    from bot.screening.rules import knowledge

    doc = Doc(text)
    kb = knowledge()
    for det in (detectors.phones, detectors.emails, detectors.addresses, detectors.my_numbers):
        if next(iter(det(doc, kb)), None) is not None:
            return True
    return False


def classify(text: str) -> str:
    """QUESTION, GREETING, HELP or DRAFT for a message sent to Ask (plain text)."""
    t = strip_controls(text or "").strip()
    if not t:
        return QUESTION  # empty: ask() explains what to type
    low = nfkc(t).lower().strip()
    if len(low) <= 30 and _GREETING.match(low):
        return GREETING
    if len(low) <= 30 and _HELP.match(low):
        return HELP
    if _pii(t):
        return DRAFT
    lines = [line for line in t.splitlines() if line.strip()]
    last = nfkc(lines[-1]).lower() if lines else ""
    shaped = bool(_QUESTION_SHAPE.search(last) or _IMPLIED_ASK.search(last))
    if not _STRONG_SIGNS.search(t):
        if _ASKED.search(t) and not _ADDRESSES_READERS.search(t):
            shaped = True  # a narrative of a request to the asker
        elif len(lines) == 1 and len(t) <= TERSE_MAX and not _NOT_TERSE.search(t):
            shaped = True  # a terse query
    signs = len(_POST_SIGNS.findall(t))
    sentences = len(_SENTENCE_END.findall(t))
    if not shaped and (signs >= 1 or (len(t) >= 120 and sentences >= 2) or len(lines) >= 4):
        return DRAFT
    if shaped and signs >= 2 and len(lines) >= 3:  # a post with a question tacked on («これ載せていい？»)
        return DRAFT
    return QUESTION
