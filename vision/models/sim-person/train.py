#!/usr/bin/python3
"""Trains the sim-person detector on frames rendered by the simulator's cameras and exports it
to ONNX in the YOLOv8 output layout.

Data: directories written by org.storeedge.simulator.camera.DatasetExporter (images/*.ppm,
labels/*.txt and ignore/*.txt in YOLO format). Model: a small CenterNet-style network on a
192x144 RGB input (the 320x240 frames stretched by 0.6), stride-8 grid (24x18 cells) with a
stride-16 context branch; per cell a person heat value, a sub-cell centre offset and a log box
size. Export: one output [1, 5, 432] = cx, cy, w, h (model-input pixels) and the sigmoid score,
non-peak cells (not the maximum of their 3x3 neighbourhood) zeroed, so the project's YoloDecoder
(V8) reads it unchanged.

Needs only Debian's python3-torch and python3-numpy. Deterministic for a seed up to the
thread scheduling of torch's CPU kernels.

usage: train.py --train DIR[,DIR...] --test DIR --out DIR [--steps 2200 | --epochs 12 --minutes 12] [--seed 7]
"""
import argparse
import glob
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

IN_W, IN_H, STRIDE = 192, 144, 8
GW, GH = IN_W // STRIDE, IN_H // STRIDE


def read_ppm(path):
    with open(path, 'rb') as f:
        data = f.read()
    parts = data.split(b'\n', 3)
    if parts[0] != b'P6' or parts[2] != b'255':
        raise ValueError(f'{path}: not a binary 8-bit PPM')
    w, h = map(int, parts[1].split())
    return np.frombuffer(parts[3], np.uint8, count=w * h * 3).reshape(h, w, 3)


def read_boxes(path):
    """YOLO lines -> array [n, 4] of cx, cy, w, h normalised."""
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                v = line.split()
                if len(v) == 5:
                    out.append([float(x) for x in v[1:]])
    return np.array(out, np.float32).reshape(-1, 4)


def load(directory):
    """Images resized to the model input (bilinear, half-pixel centres, as OpenCV INTER_LINEAR),
    uint8 [N, 3, IN_H, IN_W]; boxes and ignore boxes in model-input pixels."""
    names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(directory, 'images', '*.ppm')))
    if not names:
        raise SystemExit(f'no images in {directory}/images')
    images = np.empty((len(names), 3, IN_H, IN_W), np.uint8)
    boxes, ignores = [], []
    scale = np.array([IN_W, IN_H, IN_W, IN_H], np.float32)
    for start in range(0, len(names), 256):
        batch = [read_ppm(os.path.join(directory, 'images', n + '.ppm')) for n in names[start:start + 256]]
        t = torch.from_numpy(np.stack(batch)).permute(0, 3, 1, 2).float()
        t = F.interpolate(t, size=(IN_H, IN_W), mode='bilinear', align_corners=False)
        images[start:start + len(batch)] = t.round().clamp(0, 255).to(torch.uint8).numpy()
    for n in names:
        boxes.append(read_boxes(os.path.join(directory, 'labels', n + '.txt')) * scale)
        ignores.append(read_boxes(os.path.join(directory, 'ignore', n + '.txt')) * scale)
    return names, images, boxes, ignores


def targets(boxes, ignores):
    """Heat [1, GH, GW] (elliptic Gaussians at box centres), loss mask (0 inside ignore boxes away
    from labelled centres), centre cells with offset and log-size targets."""
    heat = np.zeros((GH, GW), np.float32)
    mask = np.ones((GH, GW), np.float32)
    ys, xs = np.mgrid[0:GH, 0:GW].astype(np.float32) + 0.5
    for cx, cy, w, h in ignores:
        x0, x1 = int(max(0, (cx - w / 2) / STRIDE)), int(min(GW, math.ceil((cx + w / 2) / STRIDE)))
        y0, y1 = int(max(0, (cy - h / 2) / STRIDE)), int(min(GH, math.ceil((cy + h / 2) / STRIDE)))
        mask[y0:y1, x0:x1] = 0
    cells = []
    for cx, cy, w, h in boxes:
        gx, gy = cx / STRIDE, cy / STRIDE
        sx, sy = max(0.5, w / STRIDE / 6), max(0.5, h / STRIDE / 6)
        g = np.exp(-((xs - gx) ** 2) / (2 * sx * sx) - ((ys - gy) ** 2) / (2 * sy * sy))
        heat = np.maximum(heat, g)
        ix, iy = min(GW - 1, int(gx)), min(GH - 1, int(gy))
        heat[iy, ix] = 1.0
        cells.append((iy, ix, gx - ix, gy - iy, math.log(max(w, 1) / STRIDE), math.log(max(h, 1) / STRIDE)))
    mask = np.maximum(mask, (heat > 0.3).astype(np.float32))
    return heat, mask, cells


def conv(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # stride-4 patch stem: the full-resolution layers dominate CPU training time
        self.s4 = nn.Sequential(nn.Conv2d(3, 24, 4, 4, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True), conv(24, 24))
        self.s8 = nn.Sequential(conv(24, 48, 2), conv(48, 48))
        self.s16 = nn.Sequential(conv(48, 64, 2), conv(64, 64), conv(64, 64))
        self.lateral = nn.Conv2d(64, 48, 1)
        self.fuse = conv(48, 48)
        self.head = conv(48, 32)
        self.out = nn.Conv2d(32, 5, 1)
        nn.init.constant_(self.out.bias, 0.0)
        with torch.no_grad():
            self.out.bias[0] = -2.19  # initial heat probability ~0.1

    def forward(self, x):
        f8 = self.s8(self.s4(x))
        f16 = self.s16(f8)
        f = self.fuse(f8 + F.interpolate(self.lateral(f16), scale_factor=2.0, mode='nearest'))
        return self.out(self.head(f))  # [B, 5, GH, GW]: heat logit, offset x, y logits, log w, log h


class Export(nn.Module):
    """Input NCHW RGB in [0, 1]; output [1, 5, GH*GW]: cx, cy, w, h (input pixels), score."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        gy, gx = torch.meshgrid(torch.arange(GH, dtype=torch.float32), torch.arange(GW, dtype=torch.float32), indexing='ij')
        self.register_buffer('gx', gx.reshape(1, 1, GH, GW))
        self.register_buffer('gy', gy.reshape(1, 1, GH, GW))

    def forward(self, x):
        o = self.net(x)
        score = torch.sigmoid(o[:, 0:1])
        peak = F.max_pool2d(score, 3, 1, 1)
        score = score * (score >= peak).float()
        cx = (self.gx + torch.sigmoid(o[:, 1:2])) * STRIDE
        cy = (self.gy + torch.sigmoid(o[:, 2:3])) * STRIDE
        w = torch.exp(o[:, 3:4].clamp(-4, 4)) * STRIDE
        h = torch.exp(o[:, 4:5].clamp(-4, 4)) * STRIDE
        return torch.cat([cx, cy, w, h, score], 1).flatten(2)


def loss_fn(out, heat, mask, cells):
    logit = out[:, 0]
    p = torch.sigmoid(logit).clamp(1e-4, 1 - 1e-4)
    pos = (heat >= 1.0).float()
    neg_w = (1 - heat) ** 4
    focal = -(pos * (1 - p) ** 2 * torch.log(p) + (1 - pos) * neg_w * p ** 2 * torch.log(1 - p)) * mask
    n = max(1.0, float(pos.sum()))
    l_heat = focal.sum() / n
    if cells:
        b, iy, ix, ox, oy, lw, lh = [torch.tensor(c) for c in zip(*cells)]
        b, iy, ix = b.long(), iy.long(), ix.long()
        off = out[b, 1:3, iy, ix]
        size = out[b, 3:5, iy, ix]
        l_off = F.l1_loss(torch.sigmoid(off), torch.stack([ox, oy], 1).float(), reduction='sum') / n
        l_size = F.l1_loss(size, torch.stack([lw, lh], 1).float(), reduction='sum') / n
    else:
        l_off = l_size = out.sum() * 0
    return l_heat + l_off + l_size, (float(l_heat), float(l_off), float(l_size))


def nms(boxes, scores, iou):
    order = np.argsort(-scores)
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        ious = box_iou(boxes[i:i + 1], boxes[rest])[0]
        order = rest[ious < iou]
    return keep


def box_iou(a, b):
    """a [n, 4], b [m, 4] as cx, cy, w, h -> IoU [n, m]."""
    a0, a1 = a[:, None, :2] - a[:, None, 2:] / 2, a[:, None, :2] + a[:, None, 2:] / 2
    b0, b1 = b[None, :, :2] - b[None, :, 2:] / 2, b[None, :, :2] + b[None, :, 2:] / 2
    inter = np.clip(np.minimum(a1, b1) - np.maximum(a0, b0), 0, None).prod(2)
    union = a[:, None, 2:].prod(2) + b[None, :, 2:].prod(2) - inter
    return inter / np.maximum(union, 1e-9)


def evaluate(export, images, boxes, ignores, thresholds, iou_nms=0.45):
    """Precision/recall at IoU >= 0.5 per score threshold; detections on ignore boxes (IoU >= 0.5
    or mostly inside one) are neither true nor false positives."""
    export.eval()
    stats = {t: [0, 0, 0] for t in thresholds}  # tp, fp, fn
    with torch.no_grad():
        for start in range(0, len(images), 64):
            x = torch.from_numpy(images[start:start + 64]).float() / 255
            out = export(x).numpy()
            for k in range(out.shape[0]):
                gt, ig = boxes[start + k], ignores[start + k]
                o = out[k].T
                for t in thresholds:
                    d = o[o[:, 4] >= t]
                    if len(d):
                        d = d[nms(d[:, :4], d[:, 4], iou_nms)]
                    matched = np.zeros(len(gt), bool)
                    tp = fp = 0
                    for det in d[np.argsort(-d[:, 4])] if len(d) else []:
                        if len(gt):
                            ious = box_iou(det[None, :4], gt)[0]
                            ious[matched] = 0
                            j = int(np.argmax(ious))
                            if ious[j] >= 0.5:
                                matched[j] = True
                                tp += 1
                                continue
                        if len(ig) and box_iou(det[None, :4], ig).max() >= 0.3:
                            continue
                        fp += 1
                    s = stats[t]
                    s[0] += tp
                    s[1] += fp
                    s[2] += int((~matched).sum())
    result = {}
    for t, (tp, fp, fn) in stats.items():
        p = tp / max(1, tp + fp)
        r = tp / max(1, tp + fn)
        result[t] = {'precision': p, 'recall': r, 'f1': 2 * p * r / max(1e-9, p + r), 'tp': tp, 'fp': fp, 'fn': fn}
    return result


def load_all(directories):
    """Several exporter directories (comma-separated) as one training set."""
    parts = [load(d) for d in directories.split(',') if d]
    if len(parts) == 1:
        return parts[0]
    names = [n for p in parts for n in p[0]]
    images = np.concatenate([p[1] for p in parts])
    boxes = [b for p in parts for b in p[2]]
    ignores = [i for p in parts for i in p[3]]
    return names, images, boxes, ignores


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', required=True, help='exporter directory, or several separated by commas')
    ap.add_argument('--test', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--minutes', type=float, default=12, help='stop early after this much training time')
    ap.add_argument('--steps', type=int, default=0, help='train exactly this many steps (0: fit --minutes)')
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '2')))

    t0 = time.time()
    _, images, boxes, ignores = load_all(a.train)
    _, test_images, test_boxes, test_ignores = load(a.test)
    print(f'loaded {len(images)} train / {len(test_images)} test frames in {time.time() - t0:.0f} s; '
          f'{sum(len(b) for b in boxes)} / {sum(len(b) for b in test_boxes)} persons', flush=True)
    prepared = [targets(b, i) for b, i in zip(boxes, ignores)]
    flipped = [targets(np.array([[IN_W - cx, cy, w, h] for cx, cy, w, h in b], np.float32).reshape(-1, 4),
                       np.array([[IN_W - cx, cy, w, h] for cx, cy, w, h in i], np.float32).reshape(-1, 4))
               for b, i in zip(boxes, ignores)]

    net = Net()
    params = sum(p.numel() for p in net.parameters())
    steps_per_epoch = len(images) // a.batch
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    total = a.steps if a.steps > 0 else a.epochs * steps_per_epoch
    a.epochs = max(a.epochs, math.ceil(total / steps_per_epoch))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=1e-5) if a.steps > 0 else None
    print(f'model: {params} parameters; up to {a.epochs} epochs x {steps_per_epoch} steps', flush=True)
    rng = np.random.default_rng(a.seed)
    t_train = time.time()
    step = 0
    stop = False
    for epoch in range(a.epochs):
        net.train()
        order = rng.permutation(len(images))
        acc = np.zeros(3)
        for s in range(steps_per_epoch):
            idx = order[s * a.batch:(s + 1) * a.batch]
            flip = rng.random(len(idx)) < 0.5
            x = torch.from_numpy(images[idx]).float() / 255
            x[flip] = x[flip].flip(3)
            gain = rng.uniform(0.85, 1.15, (len(idx), 1, 1, 1)) * rng.uniform(0.92, 1.08, (len(idx), 3, 1, 1))
            x = (x * torch.from_numpy(gain.astype(np.float32))).clamp(0, 1)
            heat = torch.from_numpy(np.stack([(flipped if f else prepared)[i][0] for i, f in zip(idx, flip)]))
            mask = torch.from_numpy(np.stack([(flipped if f else prepared)[i][1] for i, f in zip(idx, flip)]))
            cells = [(b,) + c for b, (i, f) in enumerate(zip(idx, flip)) for c in (flipped if f else prepared)[i][2]]
            out = net(x)
            loss, parts = loss_fn(out, heat, mask, cells)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step == 5:
                t_warm = time.time()
            if step == 15 and a.steps == 0:
                # fit the schedule into the time budget (first steps are slow: not counted)
                per_step = (time.time() - t_warm) / 10
                total = min(total, int(a.minutes * 60 / per_step))
                print(f'{per_step:.2f} s/step: training {total} steps', flush=True)
                sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, total - step), eta_min=1e-5)
            elif sched is not None and step < total:
                sched.step()
            acc += parts
            if step >= total:
                stop = True
                break
        n = max(1, s + 1)
        print(f'epoch {epoch + 1}: heat {acc[0] / n:.3f} offset {acc[1] / n:.3f} size {acc[2] / n:.3f} '
              f'({time.time() - t_train:.0f} s)', flush=True)
        if stop:
            print(f'stopping after {step} steps' + ('' if a.steps > 0 else f' (time budget {a.minutes} min)'), flush=True)
            break

    export = Export(net).eval()
    thresholds = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
    res = evaluate(export, test_images, test_boxes, test_ignores, thresholds)
    for t in thresholds:
        r = res[t]
        print(f'held-out, score >= {t}: precision {r["precision"]:.3f} recall {r["recall"]:.3f} '
              f'(tp {r["tp"]}, fp {r["fp"]}, fn {r["fn"]})', flush=True)
    best = max(thresholds, key=lambda t: res[t]['f1'])
    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, 'model.onnx')
    torch.onnx.export(export, torch.zeros(1, 3, IN_H, IN_W), onnx_path, input_names=['images'],
                      output_names=['output0'], opset_version=13, do_constant_folding=True)
    with open(os.path.join(a.out, 'metrics.json'), 'w') as f:
        json.dump({'best_threshold': best, 'parameters': params, 'train_frames': len(images),
                   'test_frames': len(test_images), 'train_seconds': round(time.time() - t_train),
                   'epochs_run': epoch + 1, 'held_out': {str(t): res[t] for t in thresholds}}, f, indent=1)
    print(f'wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes); best F1 at score >= {best}', flush=True)


if __name__ == '__main__':
    main()
