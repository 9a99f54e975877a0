#!/usr/bin/env python3
"""A minimal perseval `exec` server: one JSON request per stdin line, one answer per stdout line."""
import json, sys

def generate(messages, gen):  # replace with your checkpoint's generate()
    words = messages[-1]["content"].split()
    return " ".join(words[-gen["max_tokens"]:])

for line in sys.stdin:  # ends when perseval closes stdin, so the server exits
    request = json.loads(line)
    try:
        text = generate(request["messages"], request["gen"])
        usage = {"prompt_tokens": sum(len(m["content"].split()) for m in request["messages"]),
                 "completion_tokens": len(text.split())}
        reply = {"id": request["id"], "text": text, "usage": usage}
    except Exception as error:  # one bad request fails alone; the server lives on
        reply = {"id": request["id"], "error": repr(error)}
    print(json.dumps(reply), flush=True)
