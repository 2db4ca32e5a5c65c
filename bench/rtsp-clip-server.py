#!/usr/bin/python3
"""RTSP server that loops an encoded H.264 clip as a camera would send it (camera bench).

Usage: rtsp-clip-server.py --file clip.h264 --fps 15 [--port 0] [--phases 4]
Serves rtsp://127.0.0.1:<port>/cam<k> for k in 0..phases-1: the same clip, each mount starting
at a different key frame, so cameras on different mounts do not see trays at the same moment
(real counters are not in step). Each mount is one shared media: any number of clients on it
cost one pipeline. The clip's access units are pushed as they are, no re-encoding: the server
costs next to nothing beside the daemon under test. Prints "READY <port>" once listening.
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--file", required=True)
ap.add_argument("--fps", type=int, required=True)
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--phases", type=int, default=4)
args = ap.parse_args()

Gst.init(None)


def read_access_units(path):
    """The clip as (bytes, is_key) access units, SPS/PPS in front of every key frame."""
    pipe = Gst.parse_launch(
        f'filesrc location="{path}" ! h264parse config-interval=-1 '
        "! video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=sink sync=false"
    )
    sink = pipe.get_by_name("sink")
    pipe.set_state(Gst.State.PLAYING)
    units = []
    while True:
        sample = sink.emit("pull-sample")
        if sample is None:
            break
        buf = sample.get_buffer()
        units.append((buf.extract_dup(0, buf.get_size()), not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)))
    pipe.set_state(Gst.State.NULL)
    return units


units = read_access_units(args.file)
keys = [i for i, (_, key) in enumerate(units) if key]
if not units or not keys or keys[0] != 0:
    print(f"ERROR {args.file}: no H.264 access units starting with a key frame", flush=True)
    sys.exit(2)

server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(str(args.port))
frame_ns = Gst.SECOND // args.fps


def add_mount(phase):
    # Start at the key frame nearest phase/phases of the clip: a decoder needs one to begin.
    want = phase * len(units) // args.phases
    start = min(keys, key=lambda k: abs(k - want))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( appsrc name=src is-live=true format=time "
        f"caps=video/x-h264,stream-format=byte-stream,alignment=au,framerate={args.fps}/1 "
        "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    factory.set_shared(True)

    def on_configure(_factory, media):
        src = media.get_element().get_by_name("src")
        state = {"n": 0}

        # Timestamps count up across loops, so the clip plays on at the camera's rate forever.
        def need_data(appsrc, _length):
            data, key = units[(start + state["n"]) % len(units)]
            buf = Gst.Buffer.new_wrapped(data)
            buf.pts = buf.dts = state["n"] * frame_ns
            buf.duration = frame_ns
            if not key:
                buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
            state["n"] += 1
            appsrc.emit("push-buffer", buf)

        src.connect("need-data", need_data)

    factory.connect("media-configure", on_configure)
    server.get_mount_points().add_factory(f"/cam{phase}", factory)


for p in range(args.phases):
    add_mount(p)
if server.attach(None) == 0:
    print("ERROR cannot listen", flush=True)
    sys.exit(2)
print(f"READY {server.get_bound_port()}", flush=True)
GLib.MainLoop().run()
