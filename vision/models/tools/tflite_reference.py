"""Runs a TFLite detection graph in numpy (NHWC, TFLite semantics) on a synthetic image and
writes reference numbers that the ONNX model must reproduce in ONNX Runtime (checked by
vision/onnx's ConversionReferenceTest).

The image has the model's input size (so no resize is involved):
  R, G, B of pixel (x, y) = (3x + 7y + 0) % 256, (3x + 7y + 50) % 256, (3x + 7y + 100) % 256
normalised as (v - 127.5) / 127.5 (--range -1,1, the default) or v / 255 (--range 0,1).

Output file (text): '# comments', then 'sum <output> <value>' lines and
'value <output> <anchor> <index> <value>' lines for a spread of anchors.

usage: tflite_reference.py model.tflite reference.txt [--names box_encodings,class_logits] [--range -1,1|0,1]
"""
import argparse
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import tflite_reader

ANCHORS = [0, 1, 2, 100, 541, 1082, 1083, 1500, 1800, 1900, 1911, 1916]


def synthetic_input(h, w, unit_range):
    y, x = np.mgrid[0:h, 0:w]
    base = 3 * x + 7 * y
    rgb = np.stack([(base + o) % 256 for o in (0, 50, 100)], axis=-1).astype(np.float32)
    return (rgb / 255.0 if unit_range else (rgb - 127.5) / 127.5)[None].astype(np.float32)


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


def resize_bilinear(x, out_hw, align_corners, half_pixel):
    """TFLite's RESIZE_BILINEAR on NHWC."""
    def coords(n_in, n_out):
        i = np.arange(n_out, dtype=np.float64)
        if align_corners and n_out > 1:
            c = i * (n_in - 1) / (n_out - 1)
        elif half_pixel:
            c = np.maximum((i + 0.5) * n_in / n_out - 0.5, 0)
        else:
            c = i * n_in / n_out
        lo = np.minimum(np.floor(c).astype(int), n_in - 1)
        hi = np.minimum(lo + 1, n_in - 1)
        return lo, hi, (c - lo)
    y0, y1, fy = coords(x.shape[1], out_hw[0])
    x0, x1, fx = coords(x.shape[2], out_hw[1])
    fy = fy[None, :, None, None].astype(np.float32)
    fx = fx[None, None, :, None].astype(np.float32)
    top = x[:, y0][:, :, x0] * (1 - fx) + x[:, y0][:, :, x1] * fx
    bottom = x[:, y1][:, :, x0] * (1 - fx) + x[:, y1][:, :, x1] * fx
    return top * (1 - fy) + bottom * fy


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
        elif k == "PRELU":
            x = get(op.inputs[0])
            vals[out] = np.where(x >= 0, x, x * get(op.inputs[1]))
        elif k == "PAD":
            vals[out] = np.pad(get(op.inputs[0]), [tuple(r) for r in model.constant(op.inputs[1])])
        elif k == "MAX_POOL_2D":
            sw, sh, fw, fh = (o.scalar(i, "i", 1) for i in (1, 2, 3, 4))
            x = get(op.inputs[0])
            oh, ow = model.tensors[out].shape[1:3]
            if o.scalar(0, "b", 0) == 0:  # SAME: pad with -inf
                ph, pw = (max((oo - 1) * ss + ff - ii, 0) for oo, ss, ff, ii in ((oh, sh, fh, x.shape[1]), (ow, sw, fw, x.shape[2])))
                x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)), constant_values=-np.inf)
            win = sliding_window_view(x, (fh, fw), axis=(1, 2))[:, ::sh, ::sw][:, :oh, :ow]
            vals[out] = act(win.max(axis=(4, 5)), o.scalar(5, "b", 0))
        elif k == "RESIZE_BILINEAR":
            vals[out] = resize_bilinear(get(op.inputs[0]), model.tensors[out].shape[1:3], o.scalar(2, "b", 0),
                                        o.scalar(3, "b", 0))
        elif k == "CONCATENATION":
            vals[out] = act(np.concatenate([get(i) for i in op.inputs], axis=o.scalar(0, "i", 0)), o.scalar(1, "b", 0))
        else:
            raise ValueError("unsupported operator %s" % k)
    return [vals[i] for i in model.outputs]


def main(argv):
    p = argparse.ArgumentParser(description="TFLite graph in numpy -> reference numbers")
    p.add_argument("tflite")
    p.add_argument("reference")
    p.add_argument("--names", default="box_encodings,class_logits")
    p.add_argument("--range", default="-1,1", choices=["-1,1", "0,1"])
    a = p.parse_args(argv)
    with open(a.tflite, "rb") as f:
        model = tflite_reader.Model(f.read())
    _, h, w, _ = model.tensors[model.inputs[0]].shape
    outs = run(model, synthetic_input(h, w, a.range == "0,1"))
    names = a.names.split(",")
    with open(a.reference, "w") as f:
        f.write("# TFLite graph run in numpy on the synthetic %dx%d image of tools/tflite_reference.py, range %s\n"
                % (w, h, a.range))
        for name, v in zip(names, outs):
            f.write("sum %s %.6f\n" % (name, float(v.astype(np.float64).sum())))
        for name, v in zip(names, outs):
            flat = v.reshape(v.shape[1], -1)
            for anchor in ANCHORS:
                for j in range(flat.shape[1]):
                    f.write("value %s %d %d %.6f\n" % (name, anchor, j, flat[anchor, j]))
    print("wrote %s" % a.reference)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
