#!/usr/bin/env python3
"""Writes the seed corpus of `decode_responses` from the recorded real-Medusa answers in
tests/fixtures/medusa-v1/: one file per answer, laid out as the target reads its input
(2 bytes of status - 100, 1 byte of content type index, then the body)."""

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "medusa-v1"
OUT = HERE / "seeds" / "decode_responses"
# Indices into CONTENT_TYPES of fuzz/harness/decode.rs.
CT = {"": 0, "application/json": 1, "text/html": 2, "text/plain": 3}

OUT.mkdir(parents=True, exist_ok=True)
for path in sorted(FIXTURES.glob("[0-9]*.json")):
    response = json.loads(path.read_text())["response"]
    body = response["body"]
    if response["body_is_json"]:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        data = (body or "").encode()
    ct = (response["headers"].get("content-type") or "").split(";")[0]
    head = (response["status"] - 100).to_bytes(2, "big") + bytes([CT.get(ct, 4)])
    (OUT / path.stem).write_bytes(head + data)
