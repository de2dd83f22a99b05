"""The official `openai` client against /v1 of a real server: non-streaming and streaming (SSE)."""

from __future__ import annotations

import httpx
import openai
import pytest

from server_util import start_server

pytestmark = pytest.mark.slow

QUESTION = "重庆的碳计量中心批下来以后，筹建最多给几年？"


@pytest.fixture(scope="module")
def server(index_settings):
    srv = start_server(index_settings)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=60)


def test_models(client):
    assert [m.id for m in client.models.list()] == ["policy-assistant"]


def test_chat_completion(client):
    resp = client.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": QUESTION}])
    content = resp.choices[0].message.content
    assert resp.object == "chat.completion" and resp.choices[0].finish_reason == "stop"
    assert "3年" in content
    extra = resp.model_extra
    assert any(c["doc_id"] == "chongqing-carbon-2024" and c["article"] == "第十四条" for c in extra["citations"])
    assert extra["checks"] and not any(c["status"] == "contradicted" for c in extra["checks"])
    answer = extra["policy_assistant"]
    assert answer["answer"] == content and answer["intent"] == "numeric" and answer["jurisdictions"] == ["重庆"]
    assert resp.usage.total_tokens > 0


def test_chat_completion_streaming_matches_non_streaming(client):
    plain = client.chat.completions.create(model="policy-assistant",
                                           messages=[{"role": "user", "content": QUESTION}])
    stream = client.chat.completions.create(model="policy-assistant", stream=True,
                                            stream_options={"include_usage": True},
                                            messages=[{"role": "user", "content": QUESTION}])
    pieces, finish, extra, usage = [], None, None, None
    chunks = 0
    for chunk in stream:
        chunks += 1
        if chunk.usage:
            usage = chunk.usage
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        if choice.delta.content:
            pieces.append(choice.delta.content)
        if choice.finish_reason:
            finish, extra = choice.finish_reason, chunk.model_extra
    assert chunks > 3 and finish == "stop" and usage is not None
    assert "".join(pieces) == plain.choices[0].message.content
    assert extra["citations"] == plain.model_extra["citations"]
    assert [c["status"] for c in extra["checks"]] == [c["status"] for c in plain.model_extra["checks"]]


def test_multi_turn_and_extra_body(client):
    resp = client.chat.completions.create(model="policy-assistant", messages=[
        {"role": "system", "content": "你是政策助手。"},
        {"role": "user", "content": "天津计量数据中心筹建期多久？"},
        {"role": "assistant", "content": "筹建工作一般应于3年内完成。"},
        {"role": "user", "content": [{"type": "text", "text": "验收要提前多久申请？"}]},
    ])
    assert resp.model_extra["policy_assistant"]["jurisdictions"] == ["天津"]
    resp = client.chat.completions.create(model="policy-assistant", extra_body={"jurisdiction": "湖北"},
                                          messages=[{"role": "user", "content": "筹建期几年？"}])
    assert resp.model_extra["policy_assistant"]["jurisdictions"] == ["湖北"]


def test_errors_reach_the_client_as_clear_messages(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="policy-assistant", messages=[{"role": "assistant", "content": "hi"}])
    assert "user" in info.value.message
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": "  "}])
    assert "问题为空" in info.value.message
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="policy-assistant", messages="not a list")  # type: ignore[arg-type]


def test_raw_sse_format(server):
    body = {"model": "policy-assistant", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    with httpx.stream("POST", server.url + "/v1/chat/completions", json=body, timeout=60) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
