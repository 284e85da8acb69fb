"""A `call_api` as a user writes it, following the skeleton's docstring, for an API in the
OpenAI shape (the fake server's): the test puts this code into the generated models/common.py.

Only the lines below the marker go into the plugin (the imports above it are the module's own).
"""

import json

import requests

API_KEY_FIELD = ENDPOINT_FIELD = BASE_URL = TIMEOUT = None  # the plugin's own, once inserted


def error_for_status(status, text): ...


# --- inserted into models/common.py below this line ---
PATHS = {"chat": "chat/completions"}


def openai_part(part):
    if part["type"] == "text":
        return part
    return {"type": "image_url", "image_url": {"url": part["url"]}}


def openai_message(message):
    content = message["content"]
    if isinstance(content, list):
        content = [openai_part(part) for part in content]
    return {"role": message["role"], "content": content}


def openai_body(path, payload):
    if path != "chat":
        return payload
    body = {
        "model": payload["model"],
        "messages": [openai_message(m) for m in payload["messages"]],
        "stream": payload["stream"],
        **payload["parameters"],
    }
    if payload["stop"]:
        body["stop"] = payload["stop"]
    if payload["tools"]:
        body["tools"] = [{"type": "function", "function": tool} for tool in payload["tools"]]
    return body


def chat_piece(message, usage=None):
    calls = [
        {
            "index": call.get("index", 0),
            "id": call.get("id"),
            "name": call.get("function", {}).get("name"),
            "arguments": call.get("function", {}).get("arguments"),
        }
        for call in message.get("tool_calls") or []
    ]
    return {"text": message.get("content") or "", "tool_calls": calls, "usage": usage}


def chat_stream(response):
    for line in response.iter_lines(decode_unicode=True):
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        event = json.loads(line.removeprefix("data: "))
        delta = event["choices"][0]["delta"] if event["choices"] else {}
        yield chat_piece(delta, event.get("usage"))


def answer_of(path, payload, response, stream):
    if path == "audio/speech":
        return response.iter_content(4096) if stream else response.content
    if path == "chat" and stream:
        return chat_stream(response)
    answer = response.json()
    if path == "chat":
        return chat_piece(answer["choices"][0]["message"], answer.get("usage"))
    if path == "embeddings":
        return {"embeddings": [item["embedding"] for item in answer["data"]]}
    if path == "rerank":
        scores = {result["index"]: result["relevance_score"] for result in answer["results"]}
        return {"scores": [scores.get(i, 0.0) for i in range(len(payload["documents"]))]}
    if path == "moderations":
        return {"flagged": answer["results"][0]["flagged"]}
    return answer


def call_api(path, credentials, payload, stream=False, files=None):
    url = f"{(credentials.get(ENDPOINT_FIELD) or BASE_URL).rstrip('/')}/{PATHS.get(path, path)}"
    headers = {"Authorization": f"Bearer {credentials.get(API_KEY_FIELD, '')}"}
    request = {"data": payload, "files": files} if files else {"json": openai_body(path, payload)}
    response = requests.post(url, headers=headers, timeout=TIMEOUT, stream=stream, **request)
    if response.status_code >= 400:
        raise error_for_status(response.status_code, response.text)
    return answer_of(path, payload, response, stream)
