"""Check that yolox_backbone.py and yolox_coco.py reproduce the released YOLOX-nano: writes, into
--out, probe.onnx (the released file with its P3 feature map added as a second output), input.f32
(the image as the file expects it: BGR 0..255, 1x3x416x416; --input gives one, else a seeded
random image), p3.f32 (our P3 of the same image given as RGB 0..1) and coco.f32 (our decoded COCO
detections [3549, 84]). The test compares them with what onnxruntime gives for probe.onnx
(test/detect/yolox-backbone.test.ts).

/usr/bin/python3 tools/train/check_backbone.py --weights ../shared/interop/yolox-nano/yolox_nano.onnx --out DIR [--input F]
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from yolox_backbone import YoloxNanoP3, load_yolox_onnx  # noqa: E402
from yolox_coco import load_coco_head  # noqa: E402

# The P3 map is the output of the 61st conv (index 60, C3_p3's conv3) after its SiLU.
P3_CONV = 60


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--input", default=None, help="raw float32 BGR 0..255 1x3x416x416")
    args = ap.parse_args()
    torch.set_num_threads(1)
    m = onnx.load(args.weights)
    conv_out = [n for n in m.graph.node if n.op_type == "Conv"][P3_CONV].output[0]
    silu = [n for n in m.graph.node if n.op_type == "Mul" and conv_out in n.input][0]
    m.graph.output.append(onnx.helper.make_tensor_value_info(silu.output[0], onnx.TensorProto.FLOAT, None))
    onnx.save(m, os.path.join(args.out, "probe.onnx"))
    backbone = YoloxNanoP3().eval()
    load_yolox_onnx(backbone, args.weights)
    coco, _, _ = load_coco_head(args.weights)
    if args.input:
        bgr = torch.from_numpy(np.fromfile(args.input, dtype=np.float32).reshape(1, 3, 416, 416))
        x = bgr[:, [2, 1, 0]] / 255.0
    else:
        x = torch.rand(1, 3, 416, 416, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        c3, c4, c5 = backbone.features(x)
        p3 = backbone.top_down(c3, c4, c5)
        dets = coco(c3, c4, c5)
    (x[:, [2, 1, 0]] * 255).numpy().astype(np.float32).tofile(os.path.join(args.out, "input.f32"))
    p3.numpy().astype(np.float32).tofile(os.path.join(args.out, "p3.f32"))
    dets.numpy().astype(np.float32).tofile(os.path.join(args.out, "coco.f32"))
    print(silu.output[0])


if __name__ == "__main__":
    main()
