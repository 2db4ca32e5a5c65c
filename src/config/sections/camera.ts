import { Type } from '@sinclair/typebox';

const Point = Type.Tuple([Type.Number({ minimum: 0, maximum: 1 }), Type.Number({ minimum: 0, maximum: 1 })], {
  description: '[x, y] in 0..1 of frame width/height.',
});

export const CameraConfig = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,31}$',
      description: 'Camera id (lowercase, used in topics and URLs).',
    }),
    source: Type.String({
      minLength: 1,
      description:
        'rtsp://user:pass@host/path (or rtsps://), a local video file path, or sim:<scenario file> for the simulated camera.',
    }),
    station: Type.String({
      default: 'expo',
      description: 'KDS station this camera watches; order.ready bumps at this station link first.',
    }),
    fps: Type.Number({
      default: 5,
      minimum: 0.5,
      maximum: 30,
      description: 'Detection frames per second pulled from the stream.',
    }),
    width: Type.Integer({
      default: 640,
      minimum: 64,
      maximum: 3840,
      description: 'Width ffmpeg scales frames to (px).',
    }),
    height: Type.Integer({
      default: 360,
      minimum: 64,
      maximum: 2160,
      description: 'Height ffmpeg scales frames to (px).',
    }),
    zone: Type.Array(Point, {
      minItems: 3,
      default: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
      description: 'Check-zone polygon; trays outside it are ignored. Default: whole frame.',
    }),
    transport: Type.Union([Type.Literal('tcp'), Type.Literal('udp')], {
      default: 'tcp',
      description: 'RTSP transport.',
    }),
    stallTimeoutMs: Type.Integer({
      default: 5000,
      minimum: 1000,
      maximum: 120000,
      description:
        'No frame for this long → kill ffmpeg and reconnect. The first frame after connecting may take max(this, 10 s) (key frame wait).',
    }),
    backoffInitialMs: Type.Integer({
      default: 1000,
      minimum: 100,
      maximum: 60000,
      description: 'First reconnect delay (again after every connection that delivered a frame).',
    }),
    backoffMaxMs: Type.Integer({
      default: 30000,
      minimum: 1000,
      maximum: 600000,
      description:
        'Reconnect delay cap. The delay doubles from backoffInitialMs but never exceeds a quarter of the outage so far, ±20 % jitter: a camera back after D seconds is reconnected within max(1.2 s, 0.3·D).',
    }),
    hwaccel: Type.Array(Type.String(), {
      default: [],
      description: 'Extra ffmpeg input flags for hardware decode, e.g. ["-hwaccel", "vaapi"].',
    }),
    // Optional in the type like motionHoldMs: code that builds a camera config literally (eval)
    // need not name it; the loader fills the default.
    decoder: Type.Optional(
      Type.String({
        default: 'auto',
        pattern: '^(auto|[a-z0-9_]{2,40})$',
        description:
          'ffmpeg video decoder: "auto" (ffmpeg picks its software decoder for the stream) or a decoder name from `ffmpeg -decoders`, e.g. h264_v4l2m2m (Raspberry Pi and other V4L2 boxes), h264_rkmpp / hevc_rkmpp (Rockchip, with an ffmpeg built with rkmpp), h264_cuvid. A decoder this ffmpeg lacks, or whose device is missing, leaves the camera offline with the reason in its status.',
      }),
    ),
    realtime: Type.Boolean({
      default: true,
      description: 'Files and sim: pace at real time (false: as fast as possible, for eval/bench).',
    }),
    loop: Type.Boolean({ default: true, description: 'Files: loop at end of file.' }),
    idleFps: Type.Number({
      default: 1,
      minimum: 0.1,
      maximum: 30,
      description: 'Detection rate while the motion gate sees no change in the zone.',
    }),
    motionThreshold: Type.Number({
      default: 0.01,
      minimum: 0,
      maximum: 1,
      description:
        'Fraction of zone pixels that must change (grey, downscaled) to count as motion. 0 disables the gate.',
    }),
    // Optional in the type (the loader still fills the default) so code that builds a camera
    // config literally, like eval, need not name it.
    motionHoldMs: Type.Optional(
      Type.Integer({
        default: 2000,
        minimum: 0,
        maximum: 60000,
        description:
          'Keep detection at full fps this long after the last motion in the zone (covers the tray settle window).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CamerasSection = Type.Array(CameraConfig, {
  default: [],
  description: 'Overhead cameras watching the counter (one ffmpeg process each).',
});
