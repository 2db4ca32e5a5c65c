"""Check that yolox_backbone.py reproduces the released YOLOX-nano: writes, into --out,
probe.onnx (the released file with its P3 feature map added as a second output), input.f32
(a seeded random image as the file expects it: BGR 0..255, 1x3x416x416) and p3.f32 (our P3 of
the same image given as RGB 0..1). The test compares p3.f32 with what onnxruntime gives for
probe.onnx (test/detect/yolox-backbone.test.ts).

/usr/bin/python3 tools/train/check_backbone.py --weights ../shared/interop/yolox-nano/yolox_nano.onnx --out DIR
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from yolox_backbone import YoloxNanoP3, load_yolox_onnx  # noqa: E402

# The P3 map is the output of the 61st conv (index 60, C3_p3's conv3) after its SiLU.
P3_CONV = 60


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    m = onnx.load(args.weights)
    conv_out = [n for n in m.graph.node if n.op_type == "Conv"][P3_CONV].output[0]
    silu = [n for n in m.graph.node if n.op_type == "Mul" and conv_out in n.input][0]
    m.graph.output.append(onnx.helper.make_tensor_value_info(silu.output[0], onnx.TensorProto.FLOAT, None))
    onnx.save(m, os.path.join(args.out, "probe.onnx"))
    backbone = YoloxNanoP3().eval()
    load_yolox_onnx(backbone, args.weights)
    x = torch.rand(1, 3, 416, 416, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        p3 = backbone(x)
    (x[:, [2, 1, 0]] * 255).numpy().astype(np.float32).tofile(os.path.join(args.out, "input.f32"))
    p3.numpy().astype(np.float32).tofile(os.path.join(args.out, "p3.f32"))
    print(silu.output[0])


if __name__ == "__main__":
    main()
