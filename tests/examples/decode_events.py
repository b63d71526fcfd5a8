#!/usr/bin/env python3
"""Reads base64 EventRecords, one per line, on stdin and prints, per
record, one JSON line: its position and the event docs/examples/python/
subscriber.py decodes from it (null when it decodes none). Used by
tests/examples/event_decoders_test.cc."""
import base64
import json
import os
import sys

sys.path.insert(0, os.environ["GAVEL_SUBSCRIBER_DIR"])
import subscriber  # noqa: E402
from gavel.v1 import event_record_pb2  # noqa: E402

for line in sys.stdin:
    record = event_record_pb2.EventRecord.FromString(base64.b64decode(line))
    print(json.dumps({"position": record.position,
                      "event": subscriber.decode_event(record)}))
