"""Converts a float/fp16 TFLite detection graph (SSD, BlazePalm) to ONNX with Debian's
python3-onnx and numpy only.

Supported operators: DEQUANTIZE (fp16 constants), CONV_2D, DEPTHWISE_CONV_2D, ADD,
RESHAPE, CONCATENATION, LOGISTIC, RELU, RELU6, PRELU, PAD (constant paddings),
MAX_POOL_2D, RESIZE_BILINEAR (constant size) and the fused activations NONE/RELU/RELU6.
Anything else stops the conversion with the operator's name.

Layout: TFLite is NHWC, the ONNX graph is NCHW. The model input becomes [1, C, H, W]; 4-D
activations stay NCHW inside the graph; a RESHAPE of a 4-D activation first transposes it back
to NHWC so the flattened order (and thus the anchor order of SSD heads) is unchanged. Outputs
keep TFLite's shapes.

Weights stay fp16 initializers followed by a Cast to float, like the DEQUANTIZE they replace
(ONNX Runtime folds the Cast at session creation); --fp32 stores float32 instead.

usage: tflite2onnx.py model.tflite out.onnx [--input-name image] [--output-names a,b] [--fp32]
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import tflite_reader

OPSET = 13
ACT = {0: None, 1: "RELU", 3: "RELU6"}


class Converter:
    def __init__(self, model, fp32, input_name, output_names):
        self.m = model
        self.fp32 = fp32
        self.nodes = []
        self.inits = []
        self.layout = {}  # tensor index -> "nchw" | "plain"
        self.names = {}  # tensor index -> ONNX value name
        self.deq = {}  # dequantized tensor index -> source fp16 constant index
        self.counter = 0
        self.input_name = input_name
        self.output_names = output_names

    def fresh(self, hint):
        self.counter += 1
        return "%s_%d" % (hint, self.counter)

    def name(self, idx):
        return self.names.setdefault(idx, "t%d" % idx)

    def const(self, idx, perm=None, hint="w"):
        """An initializer (plus Cast when kept fp16) holding tensor idx, optionally transposed."""
        src = self.deq.get(idx, idx)
        arr = self.m.constant(src)
        if arr is None:
            raise ValueError("tensor %s is expected to be constant" % self.m.tensors[idx].name)
        if perm is not None:
            arr = np.ascontiguousarray(arr.transpose(perm))
        if arr.dtype == np.float16 and self.fp32:
            arr = arr.astype(np.float32)
        init_name = self.fresh(hint)
        self.inits.append(numpy_helper.from_array(arr, init_name))
        if arr.dtype == np.float16:
            out = self.fresh(hint + "_f32")
            self.nodes.append(helper.make_node("Cast", [init_name], [out], to=TensorProto.FLOAT))
            return out
        return init_name

    def named_const(self, arr, hint):
        """An initializer holding arr as it is (shapes, paddings, slopes)."""
        if arr.dtype == np.float16:
            arr = arr.astype(np.float32)
        init_name = self.fresh(hint)
        self.inits.append(numpy_helper.from_array(arr, init_name))
        return init_name

    def pre_activation(self, code, out_idx, hint):
        """Where an op writes before its fused activation: straight to its output when there is none."""
        if code not in ACT:
            raise ValueError("unsupported fused activation %d" % code)
        return self.name(out_idx) if ACT[code] is None else self.fresh(hint)

    def activation(self, value, code, out_name):
        act = ACT.get(code, "?")
        if act == "?":
            raise ValueError("unsupported fused activation %d" % code)
        if act is None:
            if value != out_name:
                self.nodes.append(helper.make_node("Identity", [value], [out_name]))
        elif act == "RELU":
            self.nodes.append(helper.make_node("Relu", [value], [out_name]))
        else:
            lo, hi = self.fresh("zero"), self.fresh("six")
            self.inits.append(numpy_helper.from_array(np.array(0, np.float32), lo))
            self.inits.append(numpy_helper.from_array(np.array(6, np.float32), hi))
            self.nodes.append(helper.make_node("Clip", [value, lo, hi], [out_name]))

    def same_pads(self, in_hw, out_hw, k_hw, s_hw, d_hw, padding):
        if padding == 1:  # VALID
            return [0, 0, 0, 0]
        pads_begin, pads_end = [], []
        for i, o, k, s, d in zip(in_hw, out_hw, k_hw, s_hw, d_hw):
            total = max((o - 1) * s + (k - 1) * d + 1 - i, 0)
            pads_begin.append(total // 2)
            pads_end.append(total - total // 2)
        return pads_begin + pads_end

    def conv(self, op, depthwise):
        m = self.m
        x, w, b = op.inputs[0], op.inputs[1], op.inputs[2] if len(op.inputs) > 2 else -1
        out = op.outputs[0]
        o = op.options
        padding = o.scalar(0, "b", 0)
        stride_w, stride_h = o.scalar(1, "i", 1), o.scalar(2, "i", 1)
        if depthwise:
            act = o.scalar(4, "b", 0)
            dil_w, dil_h = o.scalar(5, "i", 1), o.scalar(6, "i", 1)
        else:
            act = o.scalar(3, "b", 0)
            dil_w, dil_h = o.scalar(4, "i", 1), o.scalar(5, "i", 1)
        in_shape, w_shape, out_shape = m.tensors[x].shape, m.tensors[w].shape, m.tensors[out].shape
        if self.layout.get(x) != "nchw":
            raise ValueError("conv input %s is not a 4-D activation" % m.tensors[x].name)
        kh, kw = w_shape[1], w_shape[2]
        if depthwise:
            weight = self.const(w, perm=(3, 0, 1, 2), hint="dw")
            group = in_shape[3]
        else:
            weight = self.const(w, perm=(0, 3, 1, 2), hint="conv")
            group = 1
        inputs = [self.name(x), weight]
        if b >= 0:
            inputs.append(self.const(b, hint="bias"))
        pads = self.same_pads(in_shape[1:3], out_shape[1:3], (kh, kw), (stride_h, stride_w), (dil_h, dil_w), padding)
        y = self.pre_activation(act, out, "conv")
        self.nodes.append(helper.make_node(
            "Conv", inputs, [y], kernel_shape=[kh, kw], strides=[stride_h, stride_w],
            dilations=[dil_h, dil_w], pads=pads, group=group))
        self.activation(y, act, self.name(out))
        self.layout[out] = "nchw"

    def run(self):
        m = self.m
        (inp,) = m.inputs
        shape = m.tensors[inp].shape
        if len(shape) != 4:
            raise ValueError("expected an NHWC image input, got shape %s" % shape)
        n, h, w, c = shape
        self.names[inp] = self.input_name
        self.layout[inp] = "nchw"
        graph_input = helper.make_tensor_value_info(self.input_name, TensorProto.FLOAT, [n, c, h, w])
        for op in m.ops:
            k = op.kind
            if k == "DEQUANTIZE":
                src = op.inputs[0]
                if m.constant(src) is None:
                    raise ValueError("DEQUANTIZE of a non-constant tensor is not supported")
                self.deq[op.outputs[0]] = src
            elif k == "CONV_2D":
                self.conv(op, depthwise=False)
            elif k == "DEPTHWISE_CONV_2D":
                self.conv(op, depthwise=True)
            elif k == "ADD":
                a, b = op.inputs
                ins = []
                for t in (a, b):
                    if t in self.deq or m.constant(t) is not None:
                        if self.layout.get(a if t == b else b) == "nchw" and len(m.tensors[t].shape) == 4:
                            ins.append(self.const(t, perm=(0, 3, 1, 2)))
                        else:
                            ins.append(self.const(t))
                    else:
                        ins.append(self.name(t))
                act = op.options.scalar(0, "b", 0) if op.options else 0
                y = self.pre_activation(act, op.outputs[0], "add")
                self.nodes.append(helper.make_node("Add", ins, [y]))
                self.activation(y, act, self.name(op.outputs[0]))
                self.layout[op.outputs[0]] = "nchw" if "nchw" in (self.layout.get(a), self.layout.get(b)) else "plain"
            elif k in ("RELU", "RELU6", "LOGISTIC"):
                x, out = op.inputs[0], op.outputs[0]
                if k == "LOGISTIC":
                    self.nodes.append(helper.make_node("Sigmoid", [self.name(x)], [self.name(out)]))
                else:
                    self.activation(self.name(x), 1 if k == "RELU" else 3, self.name(out))
                self.layout[out] = self.layout.get(x, "plain")
            elif k == "RESHAPE":
                x, out = op.inputs[0], op.outputs[0]
                src = self.name(x)
                if self.layout.get(x) == "nchw":
                    src = self.fresh("nhwc")
                    self.nodes.append(helper.make_node("Transpose", [self.name(x)], [src], perm=[0, 2, 3, 1]))
                shape_name = self.fresh("shape")
                self.inits.append(numpy_helper.from_array(np.array(m.tensors[out].shape, np.int64), shape_name))
                self.nodes.append(helper.make_node("Reshape", [src, shape_name], [self.name(out)]))
                self.layout[out] = "plain"
            elif k == "CONCATENATION":
                axis = op.options.scalar(0, "i", 0)
                act = op.options.scalar(1, "b", 0)
                layouts = {self.layout.get(t, "plain") for t in op.inputs}
                if len(layouts) != 1:
                    raise ValueError("CONCATENATION of mixed layouts is not supported")
                rank = len(m.tensors[op.outputs[0]].shape)
                if axis < 0:
                    axis += rank
                if layouts == {"nchw"}:
                    axis = {0: 0, 1: 2, 2: 3, 3: 1}[axis]
                y = self.pre_activation(act, op.outputs[0], "concat")
                self.nodes.append(helper.make_node("Concat", [self.name(t) for t in op.inputs], [y], axis=axis))
                self.activation(y, act, self.name(op.outputs[0]))
                self.layout[op.outputs[0]] = layouts.pop()
            elif k == "PRELU":
                x, alpha, out = op.inputs[0], op.inputs[1], op.outputs[0]
                if self.layout.get(x) != "nchw":
                    raise ValueError("PRELU of a non-4-D activation is not supported")
                slope = self.m.constant(self.deq.get(alpha, alpha))
                if slope is None:
                    raise ValueError("PRELU with a non-constant slope is not supported")
                # TFLite broadcasts an HWC slope over NHWC; ONNX wants it per channel of NCHW: [C, 1, 1]
                c = self.m.tensors[x].shape[3]
                if slope.size != c:
                    raise ValueError("PRELU slope of shape %s is not one per channel" % list(slope.shape))
                self.nodes.append(helper.make_node(
                    "PRelu", [self.name(x), self.named_const(slope.reshape(c, 1, 1), "slope")], [self.name(out)]))
                self.layout[out] = "nchw"
            elif k == "PAD":
                x, pads, out = op.inputs[0], op.inputs[1], op.outputs[0]
                p = self.m.constant(pads)
                if p is None or self.layout.get(x) != "nchw":
                    raise ValueError("PAD needs constant paddings of a 4-D activation")
                order = (0, 3, 1, 2)  # NHWC rows -> N, C, H, W
                onnx_pads = [int(p[i][0]) for i in order] + [int(p[i][1]) for i in order]
                self.nodes.append(helper.make_node(
                    "Pad", [self.name(x), self.named_const(np.array(onnx_pads, np.int64), "pads")], [self.name(out)],
                    mode="constant"))
                self.layout[out] = "nchw"
            elif k == "MAX_POOL_2D":
                x, out = op.inputs[0], op.outputs[0]
                o = op.options
                padding = o.scalar(0, "b", 0)
                sw, sh, fw, fh = (o.scalar(i, "i", 1) for i in (1, 2, 3, 4))
                act = o.scalar(5, "b", 0)
                pads = self.same_pads(m.tensors[x].shape[1:3], m.tensors[out].shape[1:3], (fh, fw), (sh, sw), (1, 1),
                                      padding)
                y = self.pre_activation(act, out, "pool")
                self.nodes.append(helper.make_node("MaxPool", [self.name(x)], [y], kernel_shape=[fh, fw],
                                                   strides=[sh, sw], pads=pads))
                self.activation(y, act, self.name(out))
                self.layout[out] = "nchw"
            elif k == "RESIZE_BILINEAR":
                x, out = op.inputs[0], op.outputs[0]
                align, half = op.options.scalar(2, "b", 0), op.options.scalar(3, "b", 0)
                mode = "align_corners" if align else "half_pixel" if half else "asymmetric"
                n, h, w, c = m.tensors[out].shape
                sizes = self.named_const(np.array([n, c, h, w], np.int64), "sizes")
                self.nodes.append(helper.make_node("Resize", [self.name(x), "", "", sizes], [self.name(out)],
                                                   mode="linear", coordinate_transformation_mode=mode))
                self.layout[out] = "nchw"
            else:
                raise ValueError("unsupported TFLite operator %s" % k)
        outputs = []
        for i, idx in enumerate(m.outputs):
            if self.layout.get(idx) == "nchw":
                raise ValueError("4-D NCHW graph outputs are not supported")
            name = self.output_names[i] if i < len(self.output_names) else self.name(idx)
            self.nodes.append(helper.make_node("Identity", [self.name(idx)], [name]))
            outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, m.tensors[idx].shape))
        graph = helper.make_graph(self.nodes, "ssd", [graph_input], outputs, self.inits)
        model = helper.make_model(graph, producer_name="storeedge-tflite2onnx",
                                  opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        onnx.shape_inference.infer_shapes(model, strict_mode=True)
        return model


def main(argv):
    p = argparse.ArgumentParser(description="TFLite detector -> ONNX (NCHW)")
    p.add_argument("tflite")
    p.add_argument("onnx")
    p.add_argument("--input-name", default="image")
    p.add_argument("--output-names", default="")
    p.add_argument("--fp32", action="store_true", help="store float32 weights instead of fp16 + Cast")
    a = p.parse_args(argv)
    with open(a.tflite, "rb") as f:
        model = tflite_reader.Model(f.read())
    names = [s for s in a.output_names.split(",") if s]
    onnx_model = Converter(model, a.fp32, a.input_name, names).run()
    onnx.save(onnx_model, a.onnx)
    kinds = {}
    for n in onnx_model.graph.node:
        kinds[n.op_type] = kinds.get(n.op_type, 0) + 1
    print("wrote %s: %d nodes %s" % (a.onnx, len(onnx_model.graph.node), kinds))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except ValueError as e:
        print("tflite2onnx: %s" % e, file=sys.stderr)
        sys.exit(2)
