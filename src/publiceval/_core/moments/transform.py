"""Answers re-expressed per item as ``alpha + beta * (x + offset)`` (reverse coding, rescaling),
applied to merged moments: with ``z = (x, m)`` the transform is ``T = [[diag b, diag a], [0, I]]``
(answers ``b x + a m``, flags kept)."""

from __future__ import annotations

import numpy as np

from .model import FloatArray

__all__ = ["transform_cross", "transform_first"]


def transform_first(first: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """``first @ Tᵀ`` for ``z = (x, m)`` and ``T`` taking answers to ``b x + a m`` (flags kept)."""
    k = a.shape[0]
    out = np.empty(first.shape)
    out[:, :k] = b * first[:, :k] + a * first[:, k:]
    out[:, k:] = first[:, k:]
    return out


def transform_cross(cross: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """``T C Tᵀ`` per cell for the ``T`` of :func:`transform_first`, block by block: ``T`` is
    diagonal in each block, so this is elementwise work rather than a product per cell."""
    k = a.shape[0]
    xx, xm = cross[:, :k, :k], cross[:, :k, k:]
    mx, mm = cross[:, k:, :k], cross[:, k:, k:]
    out = np.empty(cross.shape)
    top = b[:, None] * xm + a[:, None] * mm  # rows: b x + a m; columns: m
    out[:, :k, k:] = top
    out[:, k:, :k] = mx * b[None, :] + mm * a[None, :]
    out[:, :k, :k] = (b[:, None] * xx + a[:, None] * mx) * b[None, :] + top * a[None, :]
    out[:, k:, k:] = mm
    return out
