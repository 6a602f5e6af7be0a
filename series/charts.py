"""The championship progression chart: points by round for the top ten, drawn on the server as SVG.

Readable without colour: every line has its own marker shape and dash pattern, and each is named at
its end (a direct label, no legend to decode). Colours come from classes in site.css (chart-c0..9),
so the markup carries no style attribute the content security policy would refuse. The standings
table beside it is the text alternative.
"""

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
HEIGHT = 380
LEFT = 52
RIGHT = WIDTH - 200  # room on the right for the drivers' names
TOP = 20
BOTTOM = HEIGHT - 48
LABEL_GAP = 15  # the smallest vertical distance between two names, in SVG units

SHAPES = (
    "circle",
    "square",
    "triangle",
    "diamond",
    "triangle-down",
    "plus",
    "cross",
    "pentagon",
    "ring",
    "hollow-square",
)
DASHES = ("", "7 3", "2 3", "9 3 2 3", "13 4", "4 4", "1 3", "10 3 2 3 2 3", "6 6", "3 2")


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """The path of a marker centred on (x, y)."""
    if shape in ("circle", "ring"):
        return (
            f"M{_num(x - r)} {_num(y)}a{_num(r)} {_num(r)} 0 1 0 {_num(2 * r)} 0"
            f"a{_num(r)} {_num(r)} 0 1 0 {_num(-2 * r)} 0z"
        )
    if shape in ("square", "hollow-square"):
        s = r * 0.9
        return f"M{_num(x - s)} {_num(y - s)}h{_num(2 * s)}v{_num(2 * s)}h{_num(-2 * s)}z"
    if shape == "triangle":
        return f"M{_num(x)} {_num(y - r)}L{_num(x + r)} {_num(y + r * 0.8)}H{_num(x - r)}z"
    if shape == "triangle-down":
        return f"M{_num(x)} {_num(y + r)}L{_num(x + r)} {_num(y - r * 0.8)}H{_num(x - r)}z"
    if shape == "diamond":
        return (
            f"M{_num(x)} {_num(y - r)}L{_num(x + r)} {_num(y)}"
            f"L{_num(x)} {_num(y + r)}L{_num(x - r)} {_num(y)}z"
        )
    if shape == "plus":
        return f"M{_num(x - r)} {_num(y)}H{_num(x + r)}M{_num(x)} {_num(y - r)}V{_num(y + r)}"
    if shape == "cross":
        s = r * 0.8
        return (
            f"M{_num(x - s)} {_num(y - s)}L{_num(x + s)} {_num(y + s)}"
            f"M{_num(x - s)} {_num(y + s)}L{_num(x + s)} {_num(y - s)}"
        )
    # pentagon
    points = []
    for index in range(5):
        angle = -math.pi / 2 + index * 2 * math.pi / 5
        points.append(f"{_num(x + r * math.cos(angle))} {_num(y + r * math.sin(angle))}")
    return "M" + "L".join(points) + "z"


def _marker_class(shape: str) -> str:
    if shape in ("plus", "cross"):
        return "chart-marker chart-marker-line"
    if shape in ("ring", "hollow-square"):
        return "chart-marker chart-marker-hollow"
    return "chart-marker"


def _nice_ceiling(value: float) -> tuple[float, float]:
    """A round maximum for the y axis and the step between its grid lines (about five)."""
    if value <= 0:
        return 10.0, 2.0
    raw = value / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    return math.ceil(value / step) * step, step


def _spread(wanted: list[float], low: float, high: float, gap: float) -> list[float]:
    """Move labels apart so none is closer than `gap` to the next, staying between low and high."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    last = low - gap
    for i in order:
        placed[i] = max(wanted[i], last + gap)
        last = placed[i]
    overflow = last - high
    if overflow > 0:
        # Pushed past the bottom: shift the stack back up, keeping the gaps.
        previous = high + gap
        for i in reversed(order):
            placed[i] = min(placed[i], previous - gap)
            previous = placed[i]
    return placed


def progression_svg(
    rows: Sequence, round_numbers: Sequence[int], title: str = "Championship progression"
) -> SafeString:
    """Cumulative points after each round for the given standings rows (at most ten), as SVG.

    The lines add up each round's points as scored; dropped rounds and penalties come off only in
    the table's total, so a line's end can sit above the final figure.
    """
    rows = list(rows)[:10]
    rounds = list(round_numbers)
    if not rows or not rounds:
        return mark_safe("")  # noqa: S308 - a constant empty string
    series: list[list[float | None]] = []
    for row in rows:
        by_round = {
            item.round: None if item.points is None else Decimal(item.points) for item in row.rounds
        }
        total: Decimal | None = Decimal(0)
        values: list[float | None] = []
        for number in rounds:
            points = by_round.get(number, Decimal(0))
            # An unknown round leaves every later total unknown too: the line stops (a gap),
            # it never runs on flat as if the driver had scored 0.
            total = None if total is None or points is None else total + points
            values.append(None if total is None else float(total))
        series.append(values)
    known_values = [value for values in series for value in values if value is not None]
    y_max, y_step = _nice_ceiling(max(known_values, default=0))

    def x_at(index: int) -> float:
        if len(rounds) == 1:
            return (LEFT + RIGHT) / 2
        return LEFT + index * (RIGHT - LEFT) / (len(rounds) - 1)

    def y_at(value: float) -> float:
        return BOTTOM - value / y_max * (BOTTOM - TOP)

    parts: list[str] = []
    # Grid and axes.
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = y_at(tick)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                RIGHT,
                _num(y),
                _num(y),
                LEFT - 8,
                _num(y + 4),
                _num(tick),
            )
        )
        tick += y_step
    every = max(1, math.ceil(len(rounds) / 12))  # keep round labels legible on long seasons
    for index, number in enumerate(rounds):
        if index % every and index != len(rounds) - 1:
            continue
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">R{}</text>',
                _num(x_at(index)),
                BOTTOM + 18,
                number,
            )
        )
    parts.append(
        format_html(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">Round</text>'
            '<text class="chart-axis" x="14" y="{}" text-anchor="middle" '
            'transform="rotate(-90 14 {})">Points</text>',
            _num((LEFT + RIGHT) / 2),
            HEIGHT - 8,
            _num((TOP + BOTTOM) / 2),
            _num((TOP + BOTTOM) / 2),
        )
    )
    # Lines, markers and direct labels, the leader drawn last so it sits on top.
    # Each line ends at its last known value.
    ends = [max((i for i, v in enumerate(values) if v is not None), default=0) for values in series]
    label_y = _spread(
        [y_at(values[end] or 0) + 4 for values, end in zip(series, ends, strict=True)],
        TOP + 4,
        HEIGHT - 8,
        LABEL_GAP,
    )
    for index in reversed(range(len(rows))):
        row, values = rows[index], series[index]
        shape, dash = SHAPES[index], DASHES[index]
        colour = f"chart-c{index}"
        line_points = " ".join(
            f"{_num(x_at(i))},{_num(y_at(v))}" for i, v in enumerate(values) if v is not None
        )
        group = [
            format_html(
                '<polyline class="chart-line {}" points="{}" fill="none"{}/>',
                colour,
                line_points,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
            )
        ]
        for i, value in enumerate(values):
            if value is None:
                continue
            group.append(
                format_html(
                    '<path class="{} {}" d="{}"><title>{}: {} points after round {}</title></path>',
                    _marker_class(shape),
                    colour,
                    _marker(shape, x_at(i), y_at(value)),
                    row.name,
                    _num(value),
                    rounds[i],
                )
            )
        end_x, end_y = x_at(ends[index]), y_at(values[ends[index]] or 0)
        text_y = label_y[index]
        unknown_after = values[-1] is None
        group.append(
            format_html(
                '<line class="chart-leader" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<path class="{} {}" d="{}"/>'
                '<text class="chart-label" x="{}" y="{}">{}{}</text>',
                _num(end_x + 6),
                _num(end_y),
                RIGHT + 12,
                _num(text_y - 4),
                _marker_class(shape),
                colour,
                _marker(shape, RIGHT + 18, text_y - 4),
                RIGHT + 28,
                _num(text_y),
                # "3. Harry King"; an unranked row says why instead of a "?." rank.
                f"{row.position}. {row.name}"
                if row.position is not None
                else f"{row.name} (not ranked)",
                format_html(
                    "<title>{}: results unknown after round {}</title>",
                    row.name,
                    rounds[ends[index]],
                )
                if unknown_after
                else "",
            )
        )
        parts.append(format_html('<g class="chart-series">{}</g>', mark_safe("".join(group))))  # noqa: S308 - built with format_html
    names = format_html_join(", ", "{}", ((row.name,) for row in rows))
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">{}</title>'
        '<desc id="chart-desc">Points added up round by round for {}. Each line has its own marker '
        "and dash pattern and is named at its end. The standings table gives the same figures."
        "</desc>{}</svg>",
        WIDTH,
        HEIGHT,
        title,
        names,
        mark_safe("".join(parts)),  # noqa: S308 - built with format_html
    )
