"""Minimal reader for the TFLite flatbuffer schema (schema.fbs), enough to walk a graph.

Only the tables and fields the converter needs are decoded. Flatbuffer layout: a table starts
with a signed offset to its vtable; the vtable lists, per field id, the field's offset inside the
table (0 = absent, use the schema default). Offsets to sub-objects are uint32 relative to where
they are stored. Everything is little-endian.
"""
import struct

import numpy as np


class Table:
    def __init__(self, buf, pos):
        self.buf = buf
        self.pos = pos
        vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt = vt
        self.vt_len = struct.unpack_from("<H", buf, vt)[0]

    def _field(self, fid):
        off = 4 + 2 * fid
        if off >= self.vt_len:
            return 0
        return struct.unpack_from("<H", self.buf, self.vt + off)[0]

    def has(self, fid):
        return self._field(fid) != 0

    def scalar(self, fid, fmt, default=0):
        o = self._field(fid)
        if not o:
            return default
        return struct.unpack_from("<" + fmt, self.buf, self.pos + o)[0]

    def _indirect(self, fid):
        o = self._field(fid)
        if not o:
            return None
        p = self.pos + o
        return p + struct.unpack_from("<I", self.buf, p)[0]

    def table(self, fid):
        p = self._indirect(fid)
        return None if p is None else Table(self.buf, p)

    def string(self, fid):
        p = self._indirect(fid)
        if p is None:
            return None
        n = struct.unpack_from("<I", self.buf, p)[0]
        return bytes(self.buf[p + 4:p + 4 + n]).decode("utf-8")

    def vector_raw(self, fid):
        """(start, length) of a vector's elements, or None."""
        p = self._indirect(fid)
        if p is None:
            return None
        return p + 4, struct.unpack_from("<I", self.buf, p)[0]

    def scalars(self, fid, fmt):
        v = self.vector_raw(fid)
        if v is None:
            return []
        start, n = v
        size = struct.calcsize("<" + fmt)
        return list(struct.unpack_from("<%d%s" % (n, fmt), self.buf, start)) if n else []

    def tables(self, fid):
        v = self.vector_raw(fid)
        if v is None:
            return []
        start, n = v
        out = []
        for i in range(n):
            p = start + 4 * i
            out.append(Table(self.buf, p + struct.unpack_from("<I", self.buf, p)[0]))
        return out

    def bytes_(self, fid):
        v = self.vector_raw(fid)
        if v is None:
            return b""
        start, n = v
        return bytes(self.buf[start:start + n])


# BuiltinOperator codes (schema.fbs) used by the detection models we convert.
BUILTIN = {
    0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
    6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 17: "MAX_POOL_2D", 18: "MUL",
    19: "RELU", 21: "RELU6", 22: "RESHAPE", 23: "RESIZE_BILINEAR", 32: "CUSTOM", 34: "PAD",
    39: "TRANSPOSE", 41: "SUB", 54: "PRELU",
}
# TensorType
TYPES = {0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64, 9: np.int8}


class Tensor:
    def __init__(self, t, index):
        self.index = index
        self.shape = t.scalars(0, "i")
        self.type = t.scalar(1, "b", 0)
        self.buffer = t.scalar(2, "I", 0)
        self.name = t.string(3) or ("t%d" % index)


class Op:
    def __init__(self, o, opcodes):
        code = opcodes[o.scalar(0, "I", 0)]
        self.kind = BUILTIN.get(code, "BUILTIN_%d" % code)
        self.inputs = o.scalars(1, "i")
        self.outputs = o.scalars(2, "i")
        self.options = o.table(4)


class Model:
    """The first subgraph of a TFLite model: tensors, operators in execution order, buffers."""

    def __init__(self, data):
        if data[4:8] != b"TFL3":
            raise ValueError("not a TFLite flatbuffer (identifier %r, expected b'TFL3')" % data[4:8])
        self.data = data
        root = Table(data, struct.unpack_from("<I", data, 0)[0])
        opcodes = []
        for oc in root.tables(1):
            dep = oc.scalar(0, "b", 0)
            code = oc.scalar(3, "i", 0)
            opcodes.append(max(dep, code))
        self.buffers = root.tables(4)
        subgraphs = root.tables(2)
        if len(subgraphs) != 1:
            raise ValueError("expected one subgraph, got %d" % len(subgraphs))
        sg = subgraphs[0]
        self.tensors = [Tensor(t, i) for i, t in enumerate(sg.tables(0))]
        self.inputs = sg.scalars(1, "i")
        self.outputs = sg.scalars(2, "i")
        self.ops = [Op(o, opcodes) for o in sg.tables(3)]

    def constant(self, index):
        """The tensor's constant data as a numpy array, or None for activations."""
        t = self.tensors[index]
        if t.buffer == 0:
            return None
        b = self.buffers[t.buffer]
        raw = b.bytes_(0)
        if not raw:
            off = b.scalar(1, "Q", 0)
            size = b.scalar(2, "Q", 0)
            if off <= 1 or size == 0:
                return None
            raw = bytes(self.data[off:off + size])
        dtype = TYPES.get(t.type)
        if dtype is None:
            raise ValueError("tensor %s has unsupported type %d" % (t.name, t.type))
        return np.frombuffer(raw, dtype=dtype).reshape(t.shape).copy()
