"""One term's postings as bytes, and back: the run format of Manchette's posting codec.

A run holds a term's postings in one segment, in three plain sections one after the other,
each readable by ``numpy.frombuffer`` straight from the mapped segment:

- **document numbers**: the first one lives in the term's record; the run holds the
  ``df - 1`` gaps after it, as unsigned 8-, 16- or 32-bit integers (the narrowest that holds
  the largest gap of this term);
- **weights**: nothing when every weight is 1 (most terms), else unsigned 8/16/32-bit integers
  when they are whole numbers (frequencies), else float32 (what Whoosh 3 stored);
- **values** (Whoosh's encoded positions, fields with positions only): each posting's byte
  length (8/16/32-bit) then the bytes themselves, deflated when that pays. A field whose
  values are Whoosh's frequency encoding (``pack_uint(weight)``) stores nothing: they are
  rebuilt from the weights.

``RunKind`` packs the choices into the 16-bit ``kind`` of the term's record; the record also
holds ``df``, the first document and the values' byte size, so a run's extent is known
without reading it. Pure functions: the codec (``engines.whoosh.codec``) calls them.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Width codes (2 bits): gaps, weights and value lengths.
_UINT: dict[int, np.dtype] = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 3: np.dtype("<u4")}
_PACK = {1: "B", 2: "H", 3: "I"}
W_ONES, W_FLOAT = 0, 4  # weight codes besides the integer widths 1..3
V_NONE, V_FREQ, V_RAW, V_DEFLATED = 0, 1, 2, 3
DEFLATE_FROM = 96  # values shorter than this are stored as they are
SMALL = 24  # runs of fewer postings are encoded without numpy (most terms have 1 or 2)


def width_code(largest: int) -> int:
    """The narrowest unsigned width code that holds ``largest``."""
    if largest < 0x100:
        return 1
    if largest < 0x10000:
        return 2
    if largest < 0x1_0000_0000:
        return 3
    raise ValueError(f"posting value {largest} does not fit 32 bits")


def pack_kind(ids: int, weights: int, values: int, lengths: int) -> int:
    return ids | weights << 2 | values << 5 | lengths << 8


def unpack_kind(kind: int) -> tuple[int, int, int, int]:
    return kind & 3, kind >> 2 & 7, kind >> 5 & 7, kind >> 8 & 3


@dataclass
class Run:
    """An encoded run and the statistics of the term's record."""

    body: bytes
    kind: int
    df: int
    first: int
    last: int
    weight: float  # total
    max_weight: float
    value_size: int  # bytes of the values section


def _values_section(values: Sequence[bytes], lengths: list[int], blob: bytes) -> tuple[int, bytes]:
    code = width_code(max(lengths))
    section = struct.pack(f"<{len(lengths)}{_PACK[code]}", *lengths) + blob
    if len(section) >= DEFLATE_FROM:
        packed = zlib.compress(section, 6, -15)
        if len(packed) < len(section) * 0.9:
            return pack_kind(0, 0, V_DEFLATED, code), packed
    return pack_kind(0, 0, V_RAW, code), section


def encode_run(
    docnums: Sequence[int] | np.ndarray,
    weights: Sequence[float] | np.ndarray,
    values: Sequence[bytes] | None,
) -> Run:
    """Encode one term's postings (document numbers ascending and unique)."""
    count = len(docnums)
    if not count:
        raise ValueError("a term without postings")
    if count < SMALL:
        if isinstance(docnums, np.ndarray):
            docnums = docnums.tolist()
        if isinstance(weights, np.ndarray):
            weights = weights.tolist()
        return _encode_small(list(docnums), [float(w) for w in weights], values)
    ids = np.asarray(docnums, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    parts = []
    gaps = np.diff(ids)
    if count > 1:
        if gaps.min() <= 0:
            raise ValueError("document numbers are not ascending and unique")
        id_code = width_code(int(gaps.max()))
        parts.append(gaps.astype(_UINT[id_code]).tobytes())
    else:
        id_code = 0
    whole = bool((w >= 0).all() and (w == np.floor(w)).all())
    if whole and (w == 1).all():
        w_code = W_ONES
    elif whole:
        w_code = width_code(int(w.max()))
        parts.append(w.astype(_UINT[w_code]).tobytes())
    else:
        w_code = W_FLOAT
        parts.append(w.astype("<f4").tobytes())
    v_kind, section = 0, b""
    if values is not None:
        blob = b"".join(values)
        if blob:
            if whole and len(blob) == 4 * count and blob == w.astype(">u4").tobytes():
                v_kind = pack_kind(0, 0, V_FREQ, 0)
            else:
                v_kind, section = _values_section(values, [len(v) for v in values], blob)
    parts.append(section)
    stored = w if w_code != W_FLOAT else w.astype(np.float32).astype(np.float64)
    return Run(
        b"".join(parts),
        pack_kind(id_code, w_code, 0, 0) | v_kind,
        count,
        int(ids[0]),
        int(ids[-1]),
        float(stored.sum()),
        float(stored.max()),
        len(section),
    )


def _encode_small(ids: list[int], weights: list[float], values: Sequence[bytes] | None) -> Run:
    count = len(ids)
    parts = []
    id_code = 0
    if count > 1:
        gaps = [b - a for a, b in itertools.pairwise(ids)]
        if min(gaps) <= 0:
            raise ValueError("document numbers are not ascending and unique")
        id_code = width_code(max(gaps))
        parts.append(struct.pack(f"<{len(gaps)}{_PACK[id_code]}", *gaps))
    whole = all(w >= 0 and w == int(w) for w in weights)
    if whole and all(w == 1 for w in weights):
        w_code = W_ONES
        stored = weights
    elif whole:
        w_code = width_code(int(max(weights)))
        parts.append(struct.pack(f"<{count}{_PACK[w_code]}", *map(int, weights)))
        stored = weights
    else:
        w_code = W_FLOAT
        raw = struct.pack(f"<{count}f", *weights)
        parts.append(raw)
        stored = list(struct.unpack(f"<{count}f", raw))
    v_kind, section = 0, b""
    if values is not None:
        blob = b"".join(values)
        if blob:
            if whole and blob == struct.pack(f">{count}I", *map(int, weights)):
                v_kind = pack_kind(0, 0, V_FREQ, 0)
            else:
                v_kind, section = _values_section(values, [len(v) for v in values], blob)
    parts.append(section)
    return Run(
        b"".join(parts),
        pack_kind(id_code, w_code, 0, 0) | v_kind,
        count,
        ids[0],
        ids[-1],
        float(sum(stored)),
        float(max(stored)),
        len(section),
    )


def decode_run(
    data, offset: int, kind: int, df: int, first: int, value_size: int, values: bool
) -> tuple[np.ndarray, np.ndarray, tuple[bytes, ...] | None]:
    """A run's document numbers (int64), weights (float64) and, when asked, values (None when
    the term has none). ``data`` is any buffer (the mapped postings file)."""
    id_code, w_code, v_code, l_code = unpack_kind(kind)
    if df == 1:
        ids = np.array([first], dtype=np.int64)
    else:
        gaps = np.frombuffer(data, _UINT[id_code], df - 1, offset)
        ids = np.empty(df, dtype=np.int64)
        ids[0] = first
        np.cumsum(gaps, out=ids[1:])
        ids[1:] += first
        offset += gaps.nbytes
    if w_code == W_ONES:
        weights = np.ones(df)
    else:
        raw = np.frombuffer(data, "<f4" if w_code == W_FLOAT else _UINT[w_code], df, offset)
        weights = raw.astype(np.float64)
        offset += raw.nbytes
    if not values or v_code == V_NONE:
        return ids, weights, None
    if v_code == V_FREQ:
        blob = weights.astype(">u4").tobytes()
        return ids, weights, tuple(blob[i : i + 4] for i in range(0, 4 * df, 4))
    section = bytes(data[offset : offset + value_size])
    if v_code == V_DEFLATED:
        section = zlib.decompress(section, -15)
    lengths = np.frombuffer(section, _UINT[l_code], df)
    ends = np.cumsum(lengths) + lengths.nbytes
    starts = (ends - lengths).tolist()
    return ids, weights, tuple(section[a:b] for a, b in zip(starts, ends.tolist(), strict=True))
