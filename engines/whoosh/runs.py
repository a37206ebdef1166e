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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from whoosh.util.numeric import byte_to_length

# Width codes (2 bits): gaps, weights and value lengths.
_UINT: dict[int, np.dtype] = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 3: np.dtype("<u4")}
_PACK = {1: "B", 2: "H", 3: "I"}
W_ONES, W_FLOAT = 0, 4  # weight codes besides the integer widths 1..3
V_NONE, V_FREQ, V_RAW, V_DEFLATED = 0, 1, 2, 3
DEFLATE_FROM = 96  # values shorter than this are stored as they are
VALUES_LEVEL = 6  # zlib level of a values section worth deflating
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
    ids, weights, offset = _ids_and_weights(data, offset, kind, df, first)
    if not values:
        return ids, weights, None
    packed = _values(data, offset, kind, df, value_size, weights)
    return ids, weights, None if packed is None else tuple(packed)


def decode_packed(
    data, offset: int, kind: int, df: int, first: int, value_size: int
) -> tuple[np.ndarray, np.ndarray, PackedValues | None]:
    """``decode_run``'s arrays with the values packed (one bytes object, no bytes object per
    posting: a phrase reads the values of a few of a long list's postings)."""
    ids, weights, offset = _ids_and_weights(data, offset, kind, df, first)
    return ids, weights, _values(data, offset, kind, df, value_size, weights)


def _ids_and_weights(
    data, offset: int, kind: int, df: int, first: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """The run's document numbers and weights, and where its values start."""
    id_code, w_code, _, _ = unpack_kind(kind)
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
    return ids, weights, offset


def _values(
    data, offset: int, kind: int, df: int, value_size: int, weights: np.ndarray
) -> PackedValues | None:
    _, _, v_code, l_code = unpack_kind(kind)
    if v_code == V_NONE:
        return None
    if v_code == V_FREQ:
        starts = np.arange(0, 4 * df, 4)
        return PackedValues(weights.astype(">u4").tobytes(), starts, starts + 4)
    section = bytes(data[offset : offset + value_size])
    if v_code == V_DEFLATED:
        section = zlib.decompress(section, -15)
    lengths = np.frombuffer(section, _UINT[l_code], df)
    ends = np.cumsum(lengths, dtype=np.int64) + lengths.nbytes
    return PackedValues(section, ends - lengths, ends)


@dataclass(frozen=True)
class PackedValues:
    """Postings' values in one bytes object: value ``i`` is ``blob[starts[i]:ends[i]]``."""

    blob: bytes
    starts: np.ndarray  # int64, one per value
    ends: np.ndarray  # int64, one per value

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.starts[i] : self.ends[i]]

    def __iter__(self) -> Iterator[bytes]:
        blob = self.blob
        for a, b in zip(self.starts.tolist(), self.ends.tolist(), strict=True):
            yield blob[a:b]

    def picked(self, at: np.ndarray) -> list[bytes]:
        """The values at positions ``at``."""
        blob, starts, ends = self.blob, self.starts[at].tolist(), self.ends[at].tolist()
        return [blob[a:b] for a, b in zip(starts, ends, strict=True)]

    @classmethod
    def empty(cls, count: int) -> PackedValues:
        """``count`` empty values."""
        none = np.zeros(count, dtype=np.int64)
        return cls(b"", none, none)

    @classmethod
    def join(cls, parts: Sequence[PackedValues]) -> PackedValues:
        """The values of ``parts``, one after the other."""
        if len(parts) == 1:
            return parts[0]
        shifts = np.cumsum([0] + [len(p.blob) for p in parts[:-1]]).tolist()
        return cls(
            b"".join(p.blob for p in parts),
            np.concatenate([p.starts + shift for p, shift in zip(parts, shifts, strict=True)]),
            np.concatenate([p.ends + shift for p, shift in zip(parts, shifts, strict=True)]),
        )


# --- many terms at once ----------------------------------------------------------------------

_WIDTH_BYTES = np.array([0, 1, 2, 4], dtype=np.int64)  # a width code's bytes
_LENGTH_BYTES = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


@dataclass
class TermPostings:
    """Several terms' postings, one after the other: term ``i``'s postings are
    ``bounds[i]:bounds[i + 1]`` (at least one each, document numbers ascending and unique),
    terms in ascending byte order."""

    terms: Sequence[bytes]
    bounds: np.ndarray  # int64, len(terms) + 1, from 0
    docnums: np.ndarray  # int64, per posting
    weights: np.ndarray  # float64, per posting
    values: np.ndarray | None  # uint8: every posting's value, joined in posting order
    value_lengths: np.ndarray | None  # int64, per posting (with ``values``)
    lengths: np.ndarray | None  # int64, per posting: the document's field length


@dataclass
class Runs:
    """The runs of several terms, one after the other in ``body``, and each term's record
    (arrays, one entry per term: what ``Run`` holds for one term, and its body's size)."""

    body: bytes
    sizes: np.ndarray
    kind: np.ndarray
    df: np.ndarray
    first: np.ndarray
    last: np.ndarray
    weight: np.ndarray
    max_weight: np.ndarray
    value_size: np.ndarray
    min_length: np.ndarray  # length bytes (``length_to_byte``; 0: none)
    max_length: np.ndarray


def width_codes(largest: np.ndarray) -> np.ndarray:
    """``width_code`` of each of ``largest`` (int64)."""
    if len(largest) and int(largest.max()) >= 0x1_0000_0000:
        raise ValueError(f"posting value {int(largest.max())} does not fit 32 bits")
    return 1 + (largest >= 0x100).astype(np.int64) + (largest >= 0x10000)


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Whoosh's ``length_to_byte`` of each length (int64, not negative)."""
    return np.minimum(np.searchsorted(_LENGTH_BYTES, lengths, side="left"), 255)


def _scatter(out: np.ndarray, at: np.ndarray, numbers: np.ndarray, widths: np.ndarray) -> None:
    """Write each of ``numbers`` (below 2**32) little-endian at byte ``at`` of ``out``, in
    ``widths`` bytes (1, 2 or 4; 0: not written)."""
    raw = numbers.astype("<u4").view(np.uint8).reshape(-1, 4)
    for width in (1, 2, 4):
        chosen = widths == width
        if chosen.any():
            out[at[chosen, None] + np.arange(width)] = raw[chosen, :width]


def encode_runs(postings: TermPostings, level: int = VALUES_LEVEL) -> Runs:
    """Each term's run, as ``encode_run`` encodes it, for all the terms at once: the same
    bytes, the same records (``tests/engines/test_whoosh_codec.py`` compares both).
    ``level``: zlib's, for the values sections worth deflating (a merge asks for less)."""
    bounds = postings.bounds
    starts = bounds[:-1]
    df = np.diff(bounds)
    if not len(df) or df.min() <= 0:
        raise ValueError("a term without postings")
    total = int(bounds[-1])
    term_of = np.repeat(np.arange(len(df)), df)
    rank = np.arange(total) - starts[term_of]  # a posting's index within its term
    ids = np.asarray(postings.docnums, dtype=np.int64)
    gaps = np.zeros(total, dtype=np.int64)
    gaps[1:] = np.diff(ids)
    gaps[starts] = 0
    if (gaps[rank > 0] <= 0).any():
        raise ValueError("document numbers are not ascending and unique")
    id_code = np.where(df > 1, width_codes(np.maximum.reduceat(gaps, starts)), 0)

    w = np.asarray(postings.weights, dtype=np.float64)
    whole_each = (w >= 0) & (w == np.floor(w))
    whole = np.minimum.reduceat(whole_each.astype(np.uint8), starts).astype(bool)
    ones = np.minimum.reduceat((w == 1).astype(np.uint8), starts).astype(bool)
    floats = ~whole
    stored = np.where(floats[term_of], w.astype(np.float32).astype(np.float64), w)
    heaviest = np.maximum.reduceat(stored, starts)
    w_code = np.full(len(df), W_FLOAT, dtype=np.int64)
    w_code[ones] = W_ONES
    counted = whole & ~ones
    w_code[counted] = width_codes(heaviest[counted].astype(np.int64))
    w_bytes = np.where(floats, 4, _WIDTH_BYTES[np.where(floats, 0, w_code)])

    v_kind = np.zeros(len(df), dtype=np.int64)
    section = np.zeros(len(df), dtype=np.int64)  # bytes of each term's values section
    raw_terms = deflated = None
    values, vlens = postings.values, postings.value_lengths
    if values is not None and vlens is not None:
        vlens = np.asarray(vlens, dtype=np.int64)
        vstart = np.cumsum(vlens) - vlens
        vbytes = np.add.reduceat(vlens, starts)
        # Whoosh's frequency encoding: each value is the weight as 4 bytes big-endian.
        four = (vlens == 4) & whole_each
        same = np.zeros(total, dtype=bool)
        if four.any():
            at = vstart[four]
            word = values[at[:, None] + np.arange(4)].astype(np.int64)
            word = word[:, 0] << 24 | word[:, 1] << 16 | word[:, 2] << 8 | word[:, 3]
            same[four] = word == w[four]
        freq = whole & np.minimum.reduceat(same.astype(np.uint8), starts).astype(bool)
        v_kind[freq & (vbytes > 0)] = V_FREQ << 5
        raw_terms = ~freq & (vbytes > 0)
        l_code = width_codes(np.maximum.reduceat(vlens, starts))
        section[raw_terms] = (df * _WIDTH_BYTES[l_code] + vbytes)[raw_terms]
        v_kind[raw_terms] = (V_RAW << 5 | l_code << 8)[raw_terms]
        deflated = {}
        for t in np.flatnonzero(raw_terms & (section >= DEFLATE_FROM)).tolist():
            a, b = int(bounds[t]), int(bounds[t + 1])
            lens = vlens[a:b]
            code = int(l_code[t])
            lo = int(vstart[a])
            raw = lens.astype(_UINT[code]).tobytes() + values[lo : lo + int(vbytes[t])].tobytes()
            packed = zlib.compress(raw, level, -15)
            if len(packed) < len(raw) * 0.9:
                deflated[t] = packed
                section[t] = len(packed)
                v_kind[t] = V_DEFLATED << 5 | code << 8
        if deflated:
            raw_terms[list(deflated)] = False

    id_bytes = _WIDTH_BYTES[id_code]
    sizes = (df - 1) * id_bytes + df * w_bytes + section
    begin = np.cumsum(sizes) - sizes
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    later = rank > 0
    _scatter(
        out,
        (begin[term_of] + (rank - 1) * id_bytes[term_of])[later],
        gaps[later],
        id_bytes[term_of][later],
    )
    weights_at = begin + (df - 1) * id_bytes
    w_numbers = np.where(floats[term_of], 0, w).astype(np.int64)
    if floats.any():
        bits = w.astype("<f4").view("<u4").astype(np.int64)
        w_numbers = np.where(floats[term_of], bits, w_numbers)
    w_width = w_bytes[term_of]
    _scatter(out, weights_at[term_of] + rank * w_width, w_numbers, w_width)
    if values is not None and vlens is not None and raw_terms is not None and raw_terms.any():
        section_at = weights_at + df * w_bytes
        l_bytes = _WIDTH_BYTES[l_code]
        raw_each = raw_terms[term_of]
        _scatter(
            out,
            (section_at[term_of] + rank * l_bytes[term_of])[raw_each],
            vlens[raw_each],
            l_bytes[term_of][raw_each],
        )
        # each raw term's value bytes, after its lengths
        shift = section_at + df * l_bytes - vstart[starts]
        moved = np.repeat(np.where(raw_terms, shift, -1), vbytes)
        keep = np.repeat(raw_terms, vbytes)
        source = np.flatnonzero(keep)
        out[source + moved[keep]] = values[keep]
    if deflated:
        section_at = weights_at + df * w_bytes
        for t, packed in deflated.items():
            a = int(section_at[t])
            out[a : a + len(packed)] = np.frombuffer(packed, dtype=np.uint8)

    lengths = postings.lengths
    if lengths is not None:
        lengths = np.asarray(lengths, dtype=np.int64)
        positive = np.where(lengths > 0, lengths, np.iinfo(np.int64).max)
        low = np.minimum.reduceat(positive, starts)
        high = np.maximum.reduceat(np.maximum(lengths, 0), starts)
        none = low == np.iinfo(np.int64).max
        min_length = np.where(none, 0, length_bytes(np.where(none, 0, low)))
        max_length = length_bytes(high)
    else:
        min_length = max_length = np.zeros(len(df), dtype=np.int64)
    return Runs(
        out.tobytes(),
        sizes,
        id_code | w_code << 2 | v_kind,
        df,
        ids[starts],
        ids[bounds[1:] - 1],
        np.add.reduceat(stored, starts),
        heaviest,
        section,
        min_length,
        max_length,
    )


def _read_uints(data: np.ndarray, at: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """The little-endian unsigned numbers of ``widths`` bytes (1, 2 or 4) at byte ``at`` of
    ``data`` (uint8), as int64."""
    out = np.zeros(len(at), dtype=np.int64)
    for width in (1, 2, 4):
        chosen = np.flatnonzero(widths == width)
        if len(chosen):
            where = at[chosen]
            found = data[where].astype(np.int64)
            for b in range(1, width):
                found |= data[where + b].astype(np.int64) << (8 * b)
            out[chosen] = found
    return out


@dataclass
class Decoded:
    """Several terms' runs decoded at once (``decode_runs``): term ``i``'s postings are
    ``bounds[i]:bounds[i + 1]``; ``values`` joins every posting's value bytes in posting order
    (None: no values asked for, or none there)."""

    bounds: np.ndarray
    docnums: np.ndarray
    weights: np.ndarray
    values: np.ndarray | None
    value_lengths: np.ndarray | None


def decode_runs(
    data: np.ndarray,
    df: np.ndarray,
    first: np.ndarray,
    kind: np.ndarray,
    value_size: np.ndarray,
    offset: np.ndarray,
    values: bool,
) -> Decoded:
    """``decode_run`` of many terms at once, from their records' columns (int64 arrays;
    ``offset``: where each run starts in ``data``, the postings file as uint8): the same
    document numbers, weights and values, with numpy rather than a call per term (only a
    deflated values section is inflated term by term)."""
    count = len(df)
    bounds = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(df, out=bounds[1:])
    total = int(bounds[-1])
    starts = bounds[:-1]
    term_of = np.repeat(np.arange(count), df)
    rank = np.arange(total) - starts[term_of]
    id_code, w_code = kind & 3, kind >> 2 & 7
    v_code, l_code = kind >> 5 & 7, kind >> 8 & 3
    id_bytes = _WIDTH_BYTES[id_code]
    steps = np.zeros(total, dtype=np.int64)
    later = np.flatnonzero(rank > 0)
    owner = term_of[later]
    steps[later] = _read_uints(
        data, offset[owner] + (rank[later] - 1) * id_bytes[owner], id_bytes[owner]
    )
    steps[starts] = first
    ids = np.cumsum(steps)
    ids -= np.repeat(ids[starts] - first, df)

    floats = w_code == W_FLOAT
    w_bytes = np.where(floats, 4, _WIDTH_BYTES[np.where(floats, 0, w_code)])
    weights_at = offset + (df - 1) * id_bytes
    weights = np.ones(total)
    width = w_bytes[term_of]
    stored = np.flatnonzero(width)
    if len(stored):
        owner = term_of[stored]
        raw = _read_uints(data, weights_at[owner] + rank[stored] * width[stored], width[stored])
        found = raw.astype(np.float64)
        as_float = floats[owner]
        if as_float.any():
            found[as_float] = raw[as_float].astype("<u4").view("<f4").astype(np.float64)
        weights[stored] = found
    if not values or not (v_code != V_NONE).any():
        return Decoded(bounds, ids, weights, None, None)

    section_at = weights_at + df * w_bytes
    l_bytes = _WIDTH_BYTES[l_code]
    vlens = np.zeros(total, dtype=np.int64)
    freq = (v_code == V_FREQ)[term_of]
    vlens[freq] = 4
    raw_terms = v_code == V_RAW
    raw_each = np.flatnonzero(raw_terms[term_of])
    owner = term_of[raw_each]
    vlens[raw_each] = _read_uints(
        data, section_at[owner] + rank[raw_each] * l_bytes[owner], l_bytes[owner]
    )
    inflated = {}
    for t in np.flatnonzero(v_code == V_DEFLATED).tolist():
        at = int(section_at[t])
        section = zlib.decompress(bytes(data[at : at + int(value_size[t])]), -15)
        lens = np.frombuffer(section, _UINT[int(l_code[t])], int(df[t]))
        vlens[starts[t] : bounds[t + 1]] = lens
        inflated[t] = np.frombuffer(section, np.uint8, offset=lens.nbytes)
    vstart = np.cumsum(vlens) - vlens
    blob = np.empty(int(vlens.sum()), dtype=np.uint8)
    if freq.any():
        word = weights[freq].astype(">u4").view(np.uint8).reshape(-1, 4)
        blob[vstart[freq][:, None] + np.arange(4)] = word
    chosen = np.flatnonzero(raw_terms)
    if len(chosen):
        sizes = np.add.reduceat(vlens, starts)[chosen]
        source = section_at[chosen] + df[chosen] * l_bytes[chosen]
        dest = vstart[starts[chosen]]
        before = np.cumsum(sizes) - sizes
        target = np.arange(int(sizes.sum())) + np.repeat(dest - before, sizes)
        blob[target] = data[target + np.repeat(source - dest, sizes)]
    for t, unpacked in inflated.items():
        at = int(vstart[starts[t]])
        blob[at : at + len(unpacked)] = unpacked
    return Decoded(bounds, ids, weights, blob, vlens)
