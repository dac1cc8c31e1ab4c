"""ChainState on its own: what the next request carries after each move of the chain (the
session's wire-level tests are in test_session_states.py)."""

from __future__ import annotations

from azresp_cli.core.chain import ChainState, Items
from azresp_cli.core.events import ResponseRecord
from azresp_cli.core.request import TurnRequest


def _answer(chain: ChainState, prompt: str, response_id: str) -> Items:
    """Send ``prompt`` as the chain would and record a one-message answer; returns the items
    the turn added to a stateless chain."""
    request = chain.prepare(TurnRequest(prompt=prompt))
    item = {"type": "message", "role": "assistant", "content": [{"type": "output_text"}]}
    record = ResponseRecord(
        id=response_id,
        status="completed",
        model="gpt-test",
        output_text="ok",
        output_items=(item,),
        store=request.store,
    )
    return chain.advance(request, record)


def test_a_stored_chain_sends_the_head_as_previous_id_and_replays_nothing() -> None:
    chain = ChainState()
    assert _answer(chain, "hi", "resp_1") == ()
    request = chain.prepare(TurnRequest(prompt="again"))
    assert chain.head == "resp_1"
    assert request.store and request.previous_response_id == "resp_1"
    assert tuple(request.replay_items) == ()


def test_going_stateless_anchors_on_the_last_stored_response_and_back_carries_the_items() -> None:
    chain = ChainState()
    _answer(chain, "hi", "resp_1")
    chain.set_store(False)
    added = _answer(chain, "secret", "resp_2")
    assert [item["role"] for item in added] == ["user", "assistant"]
    stateless = chain.prepare(TurnRequest(prompt="more"))
    assert not stateless.store and stateless.previous_response_id == "resp_1"
    assert len(stateless.replay_items) == 2
    chain.set_store(True)
    stored = chain.prepare(TurnRequest(prompt="back"))
    assert stored.store and stored.previous_response_id == "resp_1"
    assert list(stored.replay_items) == list(stateless.replay_items)
    _answer(chain, "back", "resp_3")
    after = chain.prepare(TurnRequest(prompt="next"))
    assert after.previous_response_id == "resp_3" and tuple(after.replay_items) == ()


def test_setting_the_same_store_flag_changes_nothing() -> None:
    chain = ChainState()
    _answer(chain, "hi", "resp_1")
    before = chain.snapshot()
    chain.set_store(True)
    assert chain.snapshot() == before


def test_restore_goes_back_to_a_snapshot() -> None:
    chain = ChainState()
    _answer(chain, "hi", "resp_1")
    saved = chain.snapshot()
    chain.set_store(False)
    _answer(chain, "more", "resp_2")
    chain.restore(saved)
    assert chain.head == "resp_1" and chain.store
    assert chain.context() == ("resp_1", ())


def test_adopting_a_compaction_sends_its_items_with_no_previous_id() -> None:
    compacted = ({"type": "compaction", "encrypted_content": "x"},)
    for store in (True, False):
        chain = ChainState()
        _answer(chain, "hi", "resp_1")
        chain.set_store(store)
        chain.adopt("cmp_1", compacted)
        request = chain.prepare(TurnRequest(prompt="go on"))
        assert chain.head == "cmp_1"
        assert request.previous_response_id is None
        assert tuple(request.replay_items) == compacted


def test_continuing_from_an_unknown_response_keeps_the_store_flag() -> None:
    stored, stateless = ChainState(), ChainState()
    stateless.set_store(False)
    stored.continue_at("resp_9", None)
    stateless.continue_at("resp_9", [])
    assert stored.context() == ("resp_9", ()) and stored.store
    assert stateless.context() == ("resp_9", ()) and not stateless.store
    assert stored.head == stateless.head == "resp_9"


def test_reset_forgets_the_chain_but_not_the_store_flag() -> None:
    chain = ChainState()
    chain.set_store(False)
    _answer(chain, "hi", "resp_1")
    chain.reset()
    assert chain.head is None and not chain.store
    assert chain.context() == (None, ())
