"""A small OpenAI-compatible HTTP server on 127.0.0.1 that records every request it gets.

The API key chooses the answer: ``Bearer sk-test`` gets a normal response, ``Bearer status-NNN``
gets HTTP NNN with a provider-style error message (``STATUS_MESSAGES``), ``Bearer slow-SECONDS``
answers normally after that many seconds, anything else (or none) gets 401 with the key
echoed back, as OpenAI does. A model named ``status-NNN`` or ``slow-SECONDS`` does the same with a
good key. While ``FakeOpenAI.redirect_to`` is set, every POST answers 307 to it plus the path.

``GET /v1/models`` lists ``FakeOpenAI.models``; ``GET /v1/redirect?to=URL`` answers 302 to URL
(no key needed), for the outbound guard's tests. A chat model whose name contains ``reason``
thinks first: ``reasoning_content`` deltas in a stream, ``message.reasoning_content`` otherwise.
Every request's headers are recorded (lowercase names), so tests can assert where a secret went.
"""

import contextlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

GOOD_KEY = "sk-test"
AUDIO = b"ID3fake-mp3:"
REASONING = "The user wants an echo. "
MODELS = ["gpt-4o-mini", "text-embedding-3-small", "fake-reasoner", "whisper-1"]
STATUS_MESSAGES = {
    400: "bad request: unknown parameter",
    401: "invalid api key",
    403: "this key may not use this model",
    404: "the model does not exist",
    422: "unprocessable entity: messages must not be empty",
    429: "rate limit reached, slow down",
    500: "the server had an error",
    503: "the engine is overloaded",
}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeOpenAI:
    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    models: list[str] = field(default_factory=lambda: list(MODELS))
    redirect_to: str | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v1/" + path]

    def header_values(self, name: str) -> list[str]:
        """The value of header `name` in every request that had it, in order."""
        return [r.headers[name.lower()] for r in self.requests if name.lower() in r.headers]


def chat_answer(body: dict) -> tuple[str, list[dict]]:
    """Echo the last user text; with tools, call the first one with {"city": "Paris"}."""
    if body.get("tools"):
        function = body["tools"][0]["function"]["name"]
        call = {
            "id": "call_1",
            "type": "function",
            "function": {"name": function, "arguments": '{"city": "Paris"}'},
        }
        return "", [call]
    content = body["messages"][-1]["content"]
    if isinstance(content, list):
        content = " ".join(part.get("text", f"[{part['type']}]") for part in content)
    return f"echo: {content}", []


USAGE = {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}


def thinks(body: dict) -> bool:
    return "reason" in str(body.get("model", ""))


def chat_response(body: dict) -> dict:
    content, tool_calls = chat_answer(body)
    message = {"role": "assistant", "content": content}
    if thinks(body):
        message["reasoning_content"] = REASONING
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": USAGE,
    }


def chat_stream(body: dict) -> list[dict]:
    content, tool_calls = chat_answer(body)
    base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": body["model"]}
    deltas = [{"content": word} for word in re.findall(r"\S+\s*", content)]
    if thinks(body):
        thoughts = re.findall(r"\S+\s*", REASONING)
        deltas = [{"reasoning_content": word, "content": None} for word in thoughts] + deltas
    for call in tool_calls:  # streamed in two parts: name first, arguments after
        first = {**call, "function": {"name": call["function"]["name"], "arguments": ""}}
        deltas.append({"tool_calls": [{"index": 0, **first}]})
        rest = {"index": 0, "function": {"arguments": call["function"]["arguments"]}}
        deltas.append({"tool_calls": [rest]})
    chunks = [{**base, "choices": [{"index": 0, "delta": d}]} for d in deltas]
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    chunks.append({**base, "choices": [], "usage": USAGE})
    return chunks


def completion_stream(text: str) -> list[dict]:
    base = {"id": "cmpl-1", "object": "text_completion"}
    chunks = [
        {**base, "choices": [{"index": 0, "text": word, "finish_reason": None}]}
        for word in re.findall(r"\S+\s*", text)
    ]
    chunks.append({**base, "choices": [{"index": 0, "text": "", "finish_reason": "stop"}]})
    chunks.append({**base, "choices": [], "usage": USAGE})
    return chunks


def embeddings(body: dict) -> dict:
    texts = body["input"]
    return {
        "object": "list",
        "model": body["model"],
        "data": [
            {"object": "embedding", "index": i, "embedding": [float(len(t)), 0.5, -0.25]}
            for i, t in enumerate(texts)
        ],
        "usage": {"prompt_tokens": 3 * len(texts), "total_tokens": 3 * len(texts)},
    }


def rerank(body: dict) -> dict:
    query_words = set(body["query"].lower().split())
    results = []
    for index, doc in enumerate(body["documents"]):
        words = set(doc.lower().split())
        results.append({"index": index, "relevance_score": len(words & query_words) / 10})
    results.sort(key=lambda r: r["relevance_score"], reverse=True)
    return {"model": body["model"], "results": results[: body.get("top_n") or len(results)]}


def model_of(body: bytes, headers: dict[str, str]) -> str:
    if "json" not in headers.get("content-type", ""):
        match = re.search(rb'name="model"\r\n\r\n([^\r]*)', body)  # multipart form
        return match.group(1).decode() if match else ""
    try:
        return str(json.loads(body).get("model", ""))
    except (ValueError, AttributeError):
        return ""


class Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI

    def log_message(self, *args):  # keep test output quiet
        pass

    def record(self, method: str) -> tuple[bytes, dict[str, str]]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake.requests.append(Recorded(method, self.path, headers, body))
        return body, headers

    def refused_by_key(self, headers: dict[str, str], model: str = "") -> bool:
        """Answer an error (or wait) as the key or the model asks; True when answered."""
        auth = headers.get("authorization", "").removeprefix("Bearer ")
        asked = model if model.startswith(("slow-", "status-")) else auth
        if asked.startswith("slow-"):
            time.sleep(float(asked.removeprefix("slow-")))
        elif asked.startswith("status-"):
            status = int(asked[-3:])
            error = {"message": STATUS_MESSAGES.get(status, "as asked"), "code": status}
            self.send_json({"error": error}, status)
            return True
        if auth != GOOD_KEY:
            message = f"Incorrect API key provided: {auth}" if auth else STATUS_MESSAGES[401]
            self.send_json({"error": {"message": message}}, 401)
            return True
        return False

    def redirected(self) -> bool:
        if not self.fake.redirect_to:
            return False
        self.send_response(307)
        self.send_header("Location", self.fake.redirect_to + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_GET(self):
        _, headers = self.record("GET")
        url = urlsplit(self.path)
        if url.path == "/v1/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(url.query)["to"][0])
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if self.refused_by_key(headers):
            return None
        if url.path == "/v1/models":
            data = [{"id": m, "object": "model", "owned_by": "fake"} for m in self.fake.models]
            return self.send_json({"object": "list", "data": data})
        return self.send_json({"error": f"no route {url.path}"}, 404)

    def do_POST(self):
        body, headers = self.record("POST")
        if self.redirected() or self.refused_by_key(headers, model_of(body, headers)):
            return None
        return self.answer(self.path.removeprefix("/v1/"), body, headers)

    def answer(self, path: str, raw: bytes, headers: dict[str, str]):
        if path == "audio/transcriptions":
            if not headers.get("content-type", "").startswith("multipart/form-data"):
                return self.send_json({"error": "expected multipart"}, 400)
            return self.send_json({"text": f"heard {raw.count(AUDIO[:3])} file"})
        body = json.loads(raw)
        if path == "chat/completions":
            if body.get("stream"):
                return self.send_events(chat_stream(body))
            return self.send_json(chat_response(body))
        if path == "completions":
            text = f"completed: {body['prompt']}"
            if body.get("stream"):
                return self.send_events(completion_stream(text))
            choice = {"index": 0, "text": text, "finish_reason": "stop"}
            answer = {"object": "text_completion", "choices": [choice], "usage": USAGE}
            return self.send_json(answer)
        if path == "embeddings":
            return self.send_json(embeddings(body))
        if path == "rerank":
            return self.send_json(rerank(body))
        if path == "audio/speech":
            return self.send_bytes(AUDIO + body["input"].encode() + body["voice"].encode())
        if path == "moderations":
            return self.send_json({"results": [{"flagged": "attack" in body["input"]}]})
        return self.send_json({"error": f"no route {path}"}, 404)

    def send_json(self, data, status: int = 200):
        self.send_bytes(json.dumps(data).encode(), status, "application/json")

    def send_bytes(self, data: bytes, status: int = 200, content_type: str = "audio/mpeg"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.wfile.write(data)

    def send_events(self, chunks: list[dict]):
        data = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        self.send_bytes(data.encode(), 200, "text/event-stream")


def start_fake_openai() -> FakeOpenAI:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeOpenAI(server)
    handler = type("BoundHandler", (Handler,), {"fake": fake})
    server.RequestHandlerClass = handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake


@contextlib.contextmanager
def running_fake_openai():
    """A fake server for the time of a fixture: started, then shut down and its socket closed."""
    fake = start_fake_openai()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
