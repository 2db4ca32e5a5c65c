#!/usr/bin/python3
"""A real RTSP server for tests (GStreamer gst-rtsp-server), bound to 127.0.0.1.

Usage: rtsp-server.py --port 0 --width 640 --height 480 --fps 25 --path /test
                      [--pattern ball] [--user U --password P]
Prints "READY <port>" once listening. Commands on stdin, one per line:
  pattern <name>   switch the videotestsrc pattern of the running media (e.g. ball, smpte)
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--width", type=int, default=640)
ap.add_argument("--height", type=int, default=480)
ap.add_argument("--fps", type=int, default=25)
ap.add_argument("--path", default="/test")
ap.add_argument("--pattern", default="ball")
ap.add_argument("--user")
ap.add_argument("--password")
args = ap.parse_args()

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(str(args.port))

factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f"( videotestsrc name=src is-live=true pattern={args.pattern} "
    f"! video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 "
    f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps} "
    f"! rtph264pay name=pay0 pt=96 config-interval=1 )"
)
# One pipeline for every client: cameras in a test share the encoder (cheap on a 2-core box).
factory.set_shared(True)

if args.user is not None:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
    server.set_auth(auth)
    perms = GstRtspServer.RTSPPermissions()
    perms.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    perms.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(perms)

sources = []


def on_configure(_factory, media):
    src = media.get_element().get_by_name("src")
    if src is None:
        return
    sources.append(src)
    # A shared media is torn down when its last client leaves; forget its source then.
    media.connect("unprepared", lambda _m: sources.remove(src) if src in sources else None)


factory.connect("media-configure", on_configure)
server.get_mount_points().add_factory(args.path, factory)
if server.attach(None) == 0:
    print("ERROR cannot listen", flush=True)
    sys.exit(2)


def on_stdin(channel, _cond):
    line = channel.readline()
    if not line:
        return False
    parts = line.split()
    if len(parts) == 2 and parts[0] == "pattern":
        for src in sources:
            src.set_property("pattern", parts[1])
        print(f"OK pattern {parts[1]}", flush=True)
    return True


GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
print(f"READY {server.get_bound_port()}", flush=True)
GLib.MainLoop().run()
