"""The championship progression chart: points by round for the top ten, drawn on the server as SVG.

Readable without colour: every line has its own marker shape and dash pattern, and each is named at
its end (a direct label, no legend to decode). Colours come from classes in site.css (chart-c0..9),
so the markup carries no style attribute the content security policy would refuse. The standings
table beside it is the text alternative.
"""

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

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

    # The markup is written with f-strings (format_html escaped every number again, a third of
    # the chart's time): only names and the title are text, escaped as format_html escapes them.
    parts: list[str] = []
    # Grid and axes.
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = _num(y_at(tick))
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="chart-tick" x="{LEFT - 8}" y="{_num(y_at(tick) + 4)}" '
            f'text-anchor="end">{_num(tick)}</text>'
        )
        tick += y_step
    every = max(1, math.ceil(len(rounds) / 12))  # keep round labels legible on long seasons
    for index, number in enumerate(rounds):
        if index % every and index != len(rounds) - 1:
            continue
        parts.append(
            f'<text class="chart-tick" x="{_num(x_at(index))}" y="{BOTTOM + 18}" '
            f'text-anchor="middle">R{_text(number)}</text>'
        )
    middle = _num((TOP + BOTTOM) / 2)
    parts.append(
        f'<text class="chart-axis" x="{_num((LEFT + RIGHT) / 2)}" y="{HEIGHT - 8}" '
        'text-anchor="middle">Round</text>'
        f'<text class="chart-axis" x="14" y="{middle}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle})">Points</text>'
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
    xs = [_num(x_at(i)) for i in range(len(rounds))]
    round_texts = [_text(number) for number in rounds]
    for index in reversed(range(len(rows))):
        row, values = rows[index], series[index]
        shape, dash = SHAPES[index], DASHES[index]
        colour = f"chart-c{index}"
        marker_class = _marker_class(shape)
        name = _text(row.name)
        line_points = " ".join(
            f"{xs[i]},{_num(y_at(v))}" for i, v in enumerate(values) if v is not None
        )
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        group = [
            f'<polyline class="chart-line {colour}" points="{line_points}" '
            f'fill="none"{dash_attribute}/>'
        ]
        for i, value in enumerate(values):
            if value is None:
                continue
            group.append(
                f'<path class="{marker_class} {colour}" d="{_marker(shape, x_at(i), y_at(value))}">'
                f"<title>{name}: {_num(value)} points after round {round_texts[i]}</title></path>"
            )
        end_x, end_y = x_at(ends[index]), y_at(values[ends[index]] or 0)
        text_y = label_y[index]
        # "3. Harry King"; an unranked row says why instead of a "?." rank.
        label = (
            f"{row.position}. {row.name}"
            if row.position is not None
            else f"{row.name} (not ranked)"
        )
        unknown = (
            f"<title>{name}: results unknown after round {round_texts[ends[index]]}</title>"
            if values[-1] is None
            else ""
        )
        group.append(
            f'<line class="chart-leader" x1="{_num(end_x + 6)}" y1="{_num(end_y)}" '
            f'x2="{RIGHT + 12}" y2="{_num(text_y - 4)}"/>'
            f'<path class="{marker_class} {colour}" d="{_marker(shape, RIGHT + 18, text_y - 4)}"/>'
            f'<text class="chart-label" x="{RIGHT + 28}" y="{_num(text_y)}">'
            f"{_text(label)}{unknown}</text>"
        )
        parts.append(f'<g class="chart-series">{"".join(group)}</g>')
    names = ", ".join(_text(row.name) for row in rows)
    return mark_safe(  # noqa: S308 - every text in it escaped by _text
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{_text(title)}</title>'
        f'<desc id="chart-desc">Points added up round by round for {names}. Each line has its own '
        "marker and dash pattern and is named at its end. The standings table gives the same "
        f"figures.</desc>{''.join(parts)}</svg>"
    )


def _text(value: object) -> str:
    """A value as format_html prints it: escaped, unless it is markup already."""
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(str(value))
