"""Every rule's own examples (prh-style specs): each rule, by its stable id, must still exist and catch its
examples on its own, and leave its not-examples alone. tests/screening/rule_ids.txt is the register of ids,
so deleting or breaking any one rule fails the test named after it."""

from pathlib import Path

import pytest

from bot.screening.matcher import rule_catches
from bot.screening.rules import knowledge

IDS = [line.strip() for line in (Path(__file__).parent / "rule_ids.txt").read_text(encoding="utf-8").splitlines()
       if line.strip() and not line.startswith("#")]


def _rules():
    return {r.id: r for r in knowledge().rules}


@pytest.mark.parametrize("rule_id", IDS)
def test_rule_catches_its_examples_alone(rule_id):
    rule = _rules().get(rule_id)
    assert rule is not None, f"rule {rule_id} is missing from knowledge/screening/rules/"
    assert rule.examples, f"rule {rule_id} has no examples"
    for ex in rule.examples:
        assert rule_catches(rule, ex), (rule_id, ex)
    for ex in rule.not_examples:
        assert not rule_catches(rule, ex), (rule_id, ex)


def test_every_rule_is_registered():
    assert sorted(_rules()) == sorted(IDS), "add new rule ids to tests/screening/rule_ids.txt"
    assert len(IDS) == len(set(IDS))


def test_a_rule_whose_example_it_no_longer_catches_stops_the_load(knowledge_copy):
    from bot.screening.rules import RulesError

    path = knowledge_copy / "rules" / "illegal.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"飲酒運転", ', "", 1).replace('examples = [', 'examples = ["飲酒運転しました。", ', 1), encoding="utf-8")
    with pytest.raises(RulesError, match=r"^screening/rules/illegal.toml \d+行目: 規則「illegal-01」の examples"):
        knowledge()


def test_a_rule_without_examples_stops_the_load(knowledge_copy):
    from bot.screening.rules import RulesError

    (knowledge_copy / "rules" / "extra.toml").write_text('[[rule]]\nid = "extra-01"\nnote = "試し"\ncategory = "rumour"\nterms = ["ウラウスノカゼ"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match="examples"):
        knowledge()
