"""The generator of the shipped season files, split along its seams (series/data/build_seasons.py
runs it and says what it builds). Importing the season tables registers their seasons in
spec.SEASONS, in the order below, which is the order they are built in."""

from __future__ import annotations

from . import americas, asia_pacific, europe, older, supercup
from .writing import build

TABLES = (supercup, europe, asia_pacific, americas, older)

__all__ = ["TABLES", "build"]
