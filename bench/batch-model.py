"""A dynamic-batch copy of a traycheck model, to measure batched inference (bench/batch-inference.ts).

The shipped export fixes the batch at 1: its input/outputs say 1 and two Reshape nodes carry a
constant shape starting with 1. This marks the batch dimension symbolic and makes those leading
1s a 0 (ONNX Reshape: copy the input's dimension). Usage:
  /usr/bin/python3 bench/batch-model.py models/traycheck-det.onnx /tmp/traycheck-batch.onnx
"""
import sys

import onnx
from onnx import numpy_helper


def main(src: str, dst: str) -> None:
    m = onnx.load(src)
    for v in list(m.graph.input) + list(m.graph.output):
        v.type.tensor_type.shape.dim[0].dim_param = "N"
    del m.graph.value_info[:]
    consts = {n.output[0]: n for n in m.graph.node if n.op_type == "Constant"}
    patched = 0
    for n in m.graph.node:
        if n.op_type != "Reshape" or n.input[1] not in consts:
            continue
        t = consts[n.input[1]].attribute[0].t
        shape = numpy_helper.to_array(t).copy()
        if shape.ndim == 1 and shape[0] == 1:
            shape[0] = 0
            t.CopyFrom(numpy_helper.from_array(shape, t.name))
            patched += 1
    onnx.save(m, dst)
    print(f"{dst}: batch dimension symbolic, {patched} Reshape shapes patched")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
