"""Runs a TFLite SSD graph in numpy (NHWC, TFLite semantics) on a synthetic image and writes
reference numbers that the ONNX model must reproduce in ONNX Runtime (checked by
vision/onnx's ConversionReferenceTest).

The image is 300x300 (the model's input size, so no resize is involved):
  R, G, B of pixel (x, y) = (3x + 7y + 0) % 256, (3x + 7y + 50) % 256, (3x + 7y + 100) % 256
normalised as (v - 127.5) / 127.5.

Output file (text): '# comments', then 'sum <output> <value>' lines and
'value <output> <anchor> <index> <value>' lines for a spread of anchors.

usage: tflite_reference.py model.tflite reference.txt
"""
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import tflite_reader

ANCHORS = [0, 1, 2, 100, 541, 1082, 1083, 1500, 1800, 1900, 1911, 1916]


def synthetic_input(h=300, w=300):
    y, x = np.mgrid[0:h, 0:w]
    base = 3 * x + 7 * y
    rgb = np.stack([(base + o) % 256 for o in (0, 50, 100)], axis=-1).astype(np.float32)
    return ((rgb - 127.5) / 127.5)[None]


def act(v, code):
    if code == 0:
        return v
    if code == 1:
        return np.maximum(v, 0)
    if code == 3:
        return np.clip(v, 0, 6)
    raise ValueError("fused activation %d" % code)


def conv(x, w, b, out_hw, stride, dil, padding, depthwise):
    kh, kw = w.shape[1], w.shape[2]
    if dil != (1, 1):
        raise ValueError("dilated convolutions are not needed here")
    pads = []
    for i, o, k, s in zip(x.shape[1:3], out_hw, (kh, kw), stride):
        total = 0 if padding == 1 else max((o - 1) * s + k - i, 0)
        pads.append((total // 2, total - total // 2))
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    win = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride[0], ::stride[1]][:, :out_hw[0], :out_hw[1]]
    if depthwise:
        y = np.einsum("nhwcij,ijc->nhwc", win, w[0], optimize=True)
    else:
        y = np.einsum("nhwcij,oijc->nhwo", win, w, optimize=True)
    return y + b if b is not None else y


def run(model, image):
    vals = {model.inputs[0]: image}

    def get(i):
        if i in vals:
            return vals[i]
        c = model.constant(i)
        if c is None:
            raise ValueError("tensor %s has no value" % model.tensors[i].name)
        return c.astype(np.float32)

    for op in model.ops:
        k, o = op.kind, op.options
        out = op.outputs[0]
        if k == "DEQUANTIZE":
            vals[out] = model.constant(op.inputs[0]).astype(np.float32)
        elif k in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            dw = k == "DEPTHWISE_CONV_2D"
            padding = o.scalar(0, "b", 0)
            stride = (o.scalar(2, "i", 1), o.scalar(1, "i", 1))
            code = o.scalar(4 if dw else 3, "b", 0)
            dil = (o.scalar(6 if dw else 5, "i", 1), o.scalar(5 if dw else 4, "i", 1))
            b = get(op.inputs[2]) if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
            y = conv(get(op.inputs[0]), get(op.inputs[1]), b, model.tensors[out].shape[1:3], stride, dil, padding, dw)
            vals[out] = act(y, code).astype(np.float32)
        elif k == "ADD":
            vals[out] = act(get(op.inputs[0]) + get(op.inputs[1]), o.scalar(0, "b", 0) if o else 0)
        elif k == "RESHAPE":
            vals[out] = get(op.inputs[0]).reshape(model.tensors[out].shape)
        elif k == "CONCATENATION":
            vals[out] = act(np.concatenate([get(i) for i in op.inputs], axis=o.scalar(0, "i", 0)), o.scalar(1, "b", 0))
        else:
            raise ValueError("unsupported operator %s" % k)
    return [vals[i] for i in model.outputs]


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[0], "rb") as f:
        model = tflite_reader.Model(f.read())
    outs = run(model, synthetic_input())
    names = ["box_encodings", "class_logits"]
    with open(argv[1], "w") as f:
        f.write("# TFLite graph run in numpy on the synthetic 300x300 image of tools/tflite_reference.py\n")
        for name, v in zip(names, outs):
            f.write("sum %s %.6f\n" % (name, float(v.astype(np.float64).sum())))
        for name, v in zip(names, outs):
            flat = v.reshape(v.shape[1], -1)
            for a in ANCHORS:
                for j in range(flat.shape[1]):
                    f.write("value %s %d %d %.6f\n" % (name, a, j, flat[a, j]))
    print("wrote %s" % argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
