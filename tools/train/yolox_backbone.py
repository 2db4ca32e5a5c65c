"""The YOLOX-nano backbone and top-down PAFPN, re-implemented for traycheck (architecture after
the YOLOX paper and its Apache-2.0 reference; no third-party code is copied or imported), and a
loader that takes its COCO-pretrained weights from the released ONNX file at training time.

Only what feeds the stride-8 feature is built: CSPDarknet (depth 0.33, width 0.25, depthwise
convs) and the top-down half of the PAFPN (lateral conv, C3_p4, reduce conv, C3_p3). The
bottom-up half and YOLOX's own heads are not used: traycheck's stride-8 head sits on P3.

The ONNX file has BatchNorm folded into every conv, so each conv here carries a bias and no
BatchNorm. The file's input is BGR 0..255 and ours is RGB 0..1: the loader folds the channel
swap and the x255 into the first conv, so the exported traycheck model keeps its input contract.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The file's YOLOX-nano: not committed (third-party); see ../shared/interop/README.md.
DEFAULT_WEIGHTS = "../shared/interop/yolox-nano/yolox_nano.onnx"


class Conv(nn.Module):
    """Conv with bias (BatchNorm folded in) + SiLU."""

    def __init__(self, cin, cout, k=1, s=1, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=True)

    def forward(self, x):
        return F.silu(self.conv(x))


class DWConv(nn.Module):
    """Depthwise k x k conv then pointwise 1x1, each with SiLU."""

    def __init__(self, cin, cout, k=3, s=1):
        super().__init__()
        self.dw = Conv(cin, cin, k, s, groups=cin)
        self.pw = Conv(cin, cout, 1)

    def forward(self, x):
        return self.pw(self.dw(x))


class Bottleneck(nn.Module):
    def __init__(self, c, shortcut=True):
        super().__init__()
        self.conv1 = Conv(c, c, 1)
        self.conv2 = DWConv(c, c, 3)
        self.add = shortcut

    def forward(self, x):
        y = self.conv2(self.conv1(x))
        return x + y if self.add else y


class CSP(nn.Module):
    """Two 1x1 branches, n bottlenecks on the first, concatenated and mixed by a 1x1."""

    def __init__(self, cin, cout, n, shortcut=True):
        super().__init__()
        hidden = cout // 2
        self.conv1 = Conv(cin, hidden, 1)
        self.conv2 = Conv(cin, hidden, 1)
        self.m = nn.Sequential(*[Bottleneck(hidden, shortcut) for _ in range(n)])
        self.conv3 = Conv(2 * hidden, cout, 1)

    def forward(self, x):
        a = self.conv1(x)
        b = self.conv2(x)
        return self.conv3(torch.cat([self.m(a), b], 1))


class SPP(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        hidden = cin // 2
        self.conv1 = Conv(cin, hidden, 1)
        self.conv2 = Conv(hidden * 4, cout, 1)

    def forward(self, x):
        x = self.conv1(x)
        pools = [F.max_pool2d(x, k, 1, k // 2) for k in (5, 9, 13)]
        return self.conv2(torch.cat([x] + pools, 1))


class YoloxNanoP3(nn.Module):
    """Input RGB 0..1 [B,3,H,W] (H, W multiples of 32) -> P3 [B,64,H/8,W/8]."""

    out_channels = 64

    def __init__(self):
        super().__init__()
        # Registration order = the ONNX file's conv order (checked by the loader).
        self.stem = Conv(12, 16, 3)  # after the space-to-depth "focus" slicing
        self.dark2 = nn.Sequential(DWConv(16, 32, 3, 2), CSP(32, 32, 1))
        self.dark3 = nn.Sequential(DWConv(32, 64, 3, 2), CSP(64, 64, 3))
        self.dark4 = nn.Sequential(DWConv(64, 128, 3, 2), CSP(128, 128, 3))
        self.dark5 = nn.Sequential(DWConv(128, 256, 3, 2), SPP(256, 256), CSP(256, 256, 1, shortcut=False))
        self.lateral0 = Conv(256, 128, 1)
        self.c3_p4 = CSP(256, 128, 1, shortcut=False)
        self.reduce1 = Conv(128, 64, 1)
        self.c3_p3 = CSP(128, 64, 1, shortcut=False)

    def forward(self, x):
        return self.top_down(*self.features(x))

    def features(self, x):
        """The CSPDarknet half (kept frozen in training): C3, C4, C5 at strides 8, 16, 32."""
        x = torch.cat([x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]], 1)
        x = self.stem(x)
        x = self.dark2(x)
        c3 = self.dark3(x)
        c4 = self.dark4(c3)
        return c3, c4, self.dark5(c4)

    def top_down(self, c3, c4, c5):
        """The trained half: C5 and C4 brought back into C3 (64 channels, stride 8)."""
        return top_down_maps(self, c3, c4, c5)[2]


def top_down_maps(m, c3, c4, c5):
    """The top-down PAFPN half of `m` (lateral0, c3_p4, reduce1, c3_p3): the lateral maps at
    strides 32 and 16 (the bottom-up half needs them, yolox_coco.py) and P3."""
    f0 = m.lateral0(c5)
    p4 = m.c3_p4(torch.cat([F.interpolate(f0, size=c4.shape[-2:], mode="nearest"), c4], 1))
    f1 = m.reduce1(p4)
    return f0, f1, m.c3_p3(torch.cat([F.interpolate(f1, size=c3.shape[-2:], mode="nearest"), c3], 1))


def load_yolox_onnx(backbone, path=DEFAULT_WEIGHTS, first=0):
    """Copy the released YOLOX-nano weights (ONNX, BN folded) into `backbone`, conv by conv in
    graph order from the file's conv `first` on, checking every shape. Returns the number of convs
    loaded and the file's sha256."""
    import hashlib

    import onnx
    from onnx import numpy_helper

    raw = open(path, "rb").read()
    model = onnx.load_from_string(raw)
    inits = {i.name: i for i in model.graph.initializer}
    file_convs = [n for n in model.graph.node if n.op_type == "Conv"]
    own = [m for m in backbone.modules() if isinstance(m, nn.Conv2d)]
    for k, conv in enumerate(own):
        node = file_convs[first + k]
        w = numpy_helper.to_array(inits[node.input[1]]).copy()
        b = numpy_helper.to_array(inits[node.input[2]]).copy()
        if first + k == 0:
            # Focus slices of a BGR 0..255 image -> of an RGB 0..1 one: swap B and R inside each
            # of the four 3-channel groups and scale by 255.
            w = w.reshape(w.shape[0], 4, 3, *w.shape[2:])[:, :, ::-1].reshape(w.shape) * 255.0
        if tuple(w.shape) != tuple(conv.weight.shape) or tuple(b.shape) != tuple(conv.bias.shape):
            raise ValueError(f"conv {k}: file {w.shape} vs model {tuple(conv.weight.shape)}")
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
            conv.bias.copy_(torch.from_numpy(b))
    return len(own), hashlib.sha256(raw).hexdigest()
