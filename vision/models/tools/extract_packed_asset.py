"""Cuts one file out of an Emscripten packed-assets bundle (.data) using its loader script.

The loader (`*_packed_assets_loader.js`) lists each packed file as
{"filename": "/path", "start": N, "end": M}: bytes [N, M) of the .data file.

usage: extract_packed_asset.py LOADER.js DATA FILENAME_SUFFIX OUT
"""
import json
import re
import sys


def entries(loader_text):
    found = []
    for m in re.finditer(r'\{"filename":\s*"([^"]+)",\s*"start":\s*(\d+),\s*"end":\s*(\d+)\}', loader_text):
        found.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return found


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    loader, data, suffix, out = argv
    with open(loader, encoding="utf-8") as f:
        listed = entries(f.read())
    matches = [e for e in listed if e[0].endswith(suffix)]
    if len(matches) != 1:
        print("extract_packed_asset: expected one file ending in %r in %s, found %s (listed: %s)"
              % (suffix, loader, [m[0] for m in matches], json.dumps([e[0] for e in listed])), file=sys.stderr)
        return 2
    name, start, end = matches[0]
    with open(data, "rb") as f:
        blob = f.read()
    if end > len(blob) or start >= end:
        print("extract_packed_asset: %s claims bytes [%d, %d) but %s has %d bytes"
              % (name, start, end, data, len(blob)), file=sys.stderr)
        return 2
    with open(out, "wb") as f:
        f.write(blob[start:end])
    print("extracted %s (%d bytes) -> %s" % (name, end - start, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
