"""A BagIt 1.0 bag (RFC 8493) around a payload already written under ``data/``: SHA-256 and
SHA-512 payload manifests, ``bag-info.txt`` with Payload-Oxum, and tag manifests that list every
tag file (payload manifests included)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

ALGORITHMS = ("sha256", "sha512")
CHUNK = 1 << 20


def _digests(path: Path) -> dict[str, str]:
    hashes = {name: hashlib.new(name) for name in ALGORITHMS}
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            for h in hashes.values():
                h.update(chunk)
    return {name: h.hexdigest() for name, h in hashes.items()}


def _encode(name: str) -> str:
    return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _write_manifest(bag: Path, prefix: str, entries: dict[str, dict[str, str]]) -> None:
    for algorithm in ALGORITHMS:
        lines = [f"{d[algorithm]}  {_encode(name)}\n" for name, d in sorted(entries.items())]
        (bag / f"{prefix}-{algorithm}.txt").write_text("".join(lines), encoding="utf-8")


def make_bag(bag: Path, info: Sequence[tuple[str, str]]) -> str:
    """Write the tag files of the bag at ``bag`` (payload in ``bag/data``). Returns the SHA-256
    of ``tagmanifest-sha256.txt``, which fixes every byte of the bag."""
    payload: dict[str, dict[str, str]] = {}
    octets = 0
    for path in sorted(p for p in (bag / "data").rglob("*") if p.is_file()):
        payload[path.relative_to(bag).as_posix()] = _digests(path)
        octets += path.stat().st_size
    (bag / "bagit.txt").write_text(
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    _write_manifest(bag, "manifest", payload)
    lines = [f"{label}: {value}" for label, value in info if value]
    lines.append(f"Payload-Oxum: {octets}.{len(payload)}")
    lines.append(f"Bag-Size: {_human(octets)}")
    (bag / "bag-info.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tags = {
        name: _digests(bag / name)
        for name in ("bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS))
    }
    _write_manifest(bag, "tagmanifest", tags)
    return hashlib.sha256((bag / "tagmanifest-sha256.txt").read_bytes()).hexdigest()


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000:
            return f"{value:.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1000
    return f"{value:.1f} TB"
