"""Huge and hostile image files on the command line: decoded small when a small size is asked
for, refused in one line when they are decompression bombs. The big run happens in a child
process under `prlimit --as`, so a regression fails the test instead of hurting the machine."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image
from stylebridge.cli.main import main

pytestmark = pytest.mark.timeout(300)

CHILD_ADDRESS_SPACE_BYTES = 6_000_000_000  # an idle torch process takes about 3 GB of it


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def write_png(path: Path, width: int, height: int, rows: int | None = None) -> None:
    """An RGB PNG of a gradient, compressed row by row (never held whole in memory).

    rows < height writes a truncated file whose header still declares `height` rows.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + bytes((x * 255 // max(1, width - 1)) % 256 for x in range(width)) * 3
    compressor = zlib.compressobj(1)
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header))
        for _ in range(height if rows is None else rows):
            data = compressor.compress(row)
            if data:
                out.write(_chunk(b"IDAT", data))
        out.write(_chunk(b"IDAT", compressor.flush()) + _chunk(b"IEND", b""))


def test_a_144_megapixel_png_with_a_small_size_is_decoded_small(tmp_path: Path) -> None:
    photo, out = tmp_path / "huge.png", tmp_path / "out.png"
    write_png(photo, 12000, 12000)
    command = [
        "prlimit", f"--as={CHILD_ADDRESS_SPACE_BYTES}", sys.executable, "-m", "stylebridge",
        "stylize", str(photo), "--model", "default", "--size", "64", "--daemon", "off",
        "--quiet", "-o", str(out),
    ]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    assert child.stderr is not None
    with child.stderr:
        err = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)  # wait4: the child's own peak RSS
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, err
    peak_mib = usage.ru_maxrss / 1024
    print(f"peak RSS {peak_mib:.0f} MiB for a 12000x12000 PNG at --size 64")
    with Image.open(out) as result:
        assert max(result.size) == 64
    # The decoded 8-bit picture (412 MiB) plus torch and the network at its 512 px processing
    # size (the default stroke; 1,433 MiB measured); full-size floats took 3.9 GB.
    assert peak_mib < 1600


def test_a_decompression_bomb_is_refused_in_one_line_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.png"
    write_png(bomb, 40000, 40000, rows=1)  # 1.6 gigapixels declared in a file of a few KB
    assert bomb.stat().st_size < 100_000
    code = main(["stylize", str(bomb), "--model", "default", "--daemon", "off", "-o",
                 str(tmp_path / "out.png")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2, err
    assert "decompression bomb" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.png").exists()
