#!/usr/bin/env python3
"""A Gavel event-stream consumer: subscribes, prints every event as one JSON
line, and remembers how far it got so that a restart resumes where it left
off, with no event repeated or skipped.

    python3 subscriber.py --addr 127.0.0.1:50051 --token "$TOKEN" \
        --position-file consumer.pos [--stream-prefix initiative-] \
        [--event-type GateDecided] [--until-caught-up]

It needs Debian's python3-grpcio and python3-protobuf, and Python stubs for
the Gavel protos on PYTHONPATH (README.md beside this file shows the protoc
line; they are not committed).

Delivery is at least once across a crash: the position is saved after the
events of a message are printed, so a crash between the two prints those
events again on restart. A clean stop (--until-caught-up, Ctrl-C between
messages) never repeats one.
"""
import argparse
import json
import os
import sys

import grpc
from google.protobuf import json_format
from google.protobuf import symbol_database

from gavel.v1 import event_record_pb2  # noqa: F401  (EventRecord)
from gavel.v1 import event_stream_service_pb2 as streams
from gavel.v1 import event_stream_service_pb2_grpc as streams_grpc
from gavel.v1 import events_pb2
from gavel.v1 import options_pb2


def event_wrappers():
    """Stream prefix -> event wrapper class. A record's payload is its
    aggregate's event wrapper; each wrapper names its stream prefix in its
    (gavel.v1.aggregate) option (proto/gavel/v1/options.proto), so nothing
    here lists them."""
    wrappers = {}
    files = [events_pb2.DESCRIPTOR] + list(
        events_pb2.DESCRIPTOR.public_dependencies)
    for file in files:
        for descriptor in file.message_types_by_name.values():
            options = descriptor.GetOptions()
            if options.HasExtension(options_pb2.aggregate):
                prefix = options.Extensions[options_pb2.aggregate].stream_prefix
                wrappers[prefix] = symbol_database.Default().GetSymbol(
                    descriptor.full_name)
    return wrappers


WRAPPERS = event_wrappers()


def read_position(path):
    """The last position saved in `path`, 0 if there is none yet."""
    try:
        with open(path, encoding="ascii") as f:
            return int(f.read().strip() or 0)
    except FileNotFoundError:
        return 0


def save_position(path, position):
    """Replaces `path` atomically with `position`."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(f"{position}\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def decode_event(record):
    """The record's domain event as a dict, or None for an unknown stream."""
    for prefix, wrapper in WRAPPERS.items():
        if record.stream_id.startswith(prefix):
            event = wrapper()
            event.ParseFromString(record.payload)
            return json_format.MessageToDict(event)
    return None


def event_json(record):
    """One output line: the record's metadata and its decoded event."""
    meta = json_format.MessageToDict(record, preserving_proto_field_name=True)
    meta.pop("payload", None)
    return json.dumps(
        {
            "position": record.position,
            "stream_id": record.stream_id,
            "stream_version": record.stream_version,
            "event_type": record.event_type,
            "record": meta,
            "event": decode_event(record),
        },
        sort_keys=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--addr", default="127.0.0.1:50051")
    parser.add_argument("--token", default=os.environ.get("GAVEL_TOKEN", ""))
    parser.add_argument("--position-file", required=True)
    parser.add_argument("--stream-prefix", action="append", default=[])
    parser.add_argument("--event-type", action="append", default=[])
    parser.add_argument(
        "--until-caught-up",
        action="store_true",
        help="stop once the subscription reaches the head of the log",
    )
    args = parser.parse_args()

    saved = read_position(args.position_file)
    request = streams.SubscribeRequest(
        after_position=saved,
        filter=streams.EventFilter(
            stream_prefixes=args.stream_prefix, event_types=args.event_type
        ),
    )
    metadata = [("authorization", f"Bearer {args.token}")] if args.token else []
    with grpc.insecure_channel(args.addr) as channel:
        stub = streams_grpc.EventStreamServiceStub(channel)
        call = stub.Subscribe(request, metadata=metadata)
        try:
            for reply in call:
                kind = reply.WhichOneof("kind")
                if kind == "events":
                    for record in reply.events.records:
                        print(event_json(record), flush=True)
                # Events, checkpoints, caught-up and heartbeats all carry
                # the position scanned so far: save it once it moved.
                if reply.position > saved:
                    save_position(args.position_file, reply.position)
                    saved = reply.position
                if kind == "caught_up" and args.until_caught_up:
                    call.cancel()
                    return 0
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.CANCELLED:
                return 0
            print(f"subscription ended: {error.code().name}: {error.details()}",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
