"""Checked safetensors files, shared by every network this project ships (the multi-style model,
the feature decoders): written atomically, with a checksum of the payload in the header, read
without pickle. What a header must say beyond `format`, `format_version` and `sha256` is the
caller's."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save
from torch import Tensor

from stylebridge.core.temp_files import temporary_beside


def payload_sha256(tensors: dict[str, Tensor]) -> str:
    """Checksum over every tensor's name, dtype, shape and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        digest.update(f"{name}|{t.dtype}|{list(t.shape)}|".encode())
        digest.update(t.view(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def write_checked(path: Path, tensors: dict[str, Tensor], header: dict[str, str]) -> None:
    """`header` plus the payload's sha256, written atomically: a temp file in the same folder,
    fsynced, then os.replace, so a crash never leaves half a model under the real name."""
    tensors = {k: v.detach().cpu().contiguous() for k, v in tensors.items()}
    header = {**header, "sha256": payload_sha256(tensors)}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = save(tensors, metadata=header)  # in memory: the networks are a few MB
    temp_name = temporary_beside(path)
    try:
        # Python's own write, so a full disk is OSError "No space left on device" (safetensors'
        # save_file raises its SafetensorError, which names no cause a person can act on).
        with open(temp_name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def read_header(path: Path) -> dict[str, str]:
    """Only the header; FileNotFoundError, or ValueError for anything unreadable."""
    try:
        with safe_open(str(path), framework="pt", device="cpu") as handle:
            return handle.metadata() or {}
    except FileNotFoundError:
        raise
    except Exception as e:
        raise ValueError(f"{path} is not a readable model file: {e}") from None


def read_tensors(path: Path) -> tuple[dict[str, str], dict[str, Tensor]]:
    """Header and tensors; ValueError for truncation, garbage, or a payload that fails its
    checksum (the caller checks the header's format first, so a foreign file reads as foreign)."""
    try:
        with safe_open(str(path), framework="pt", device="cpu") as handle:
            header = handle.metadata() or {}
            tensors = {name: handle.get_tensor(name) for name in handle.keys()}  # noqa: SIM118
    except FileNotFoundError:
        raise
    except Exception as e:  # safetensors reports truncation and garbage in several types
        raise ValueError(
            f"{path} is not a readable model file (corrupt or truncated): {e}"
        ) from None
    return header, tensors


def check_format(path: Path, header: dict[str, str], name: str, version: int, what: str) -> None:
    """ValueError unless the header says `format: name` at `version` (a foreign safetensors file
    reads as foreign, a newer one says which version it is)."""
    if header.get("format") != name:
        raise ValueError(f"{path} is a safetensors file but not a stylebridge {what}")
    if header.get("format_version") != str(version):
        raise ValueError(
            f"{path} has {what} format version {header.get('format_version')!r}; "
            f"this stylebridge reads version {version}"
        )


def check_payload(path: Path, header: dict[str, str], tensors: dict[str, Tensor]) -> None:
    """ValueError when the tensors are not the ones the header's checksum describes."""
    if payload_sha256(tensors) != header.get("sha256"):
        raise ValueError(f"{path} fails its checksum: the file is corrupt")
