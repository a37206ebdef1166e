"""The geometry of the trends chart: one polyline per query in SVG user units, with ticks.

The template draws it (``_trendchart.html``); here are only numbers, so the chart is tested
without a browser. The y axis is the share of everything published in each period.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.trends import Trends

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 28, 12, 36  # room for the axis labels
Y_TICKS = 4


@dataclass(frozen=True)
class Tick:
    label: str
    x: str
    y: str


@dataclass(frozen=True)
class Line:
    index: int  # the series' position: its colour and dash pattern (CSS classes)
    query: str
    points: str  # the polyline's "x,y x,y ..."
    dots: list[tuple[str, str, str]]  # (x, y, title) of each period with a match


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    peak: float  # the largest share drawn (the top of the y axis)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def _percent(share: float) -> str:
    return f"{share * 100:.2g}%" if share < 0.1 else f"{share * 100:.0f}%"


def trend_chart(trends: Trends) -> LineChart:
    """Lines from the left axis to the right one, the largest share at the top."""
    periods = trends.periods
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max((p.share for s in trends.series for p in s.points), default=0.0) or 1.0
    step = plot_w / max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(periods) > 1 else plot_w / 2)

    def y(share: float) -> float:
        return TOP + plot_h * (1 - share / peak)

    lines = []
    for index, series in enumerate(trends.series):
        coords = [(x(i), y(p.share)) for i, p in enumerate(series.points)]
        lines.append(
            Line(
                index=index,
                query=series.query,
                points=" ".join(f"{a:.1f},{b:.1f}" for a, b in coords),
                dots=[
                    (f"{a:.1f}", f"{b:.1f}", f"{p.period}: {p.count} ({_percent(p.share)})")
                    for (a, b), p in zip(coords, series.points, strict=True)
                    if p.count
                ],
            )
        )
    shown = sorted({0, len(periods) // 2, len(periods) - 1}) if periods else []
    x_ticks = [Tick(periods[i], f"{x(i):.1f}", str(HEIGHT - BOTTOM + 18)) for i in shown]
    y_ticks = [
        Tick(_percent(peak * k / Y_TICKS), str(LEFT - 6), f"{y(peak * k / Y_TICKS):.1f}")
        for k in range(Y_TICKS + 1)
    ]
    return LineChart(lines, x_ticks, y_ticks, peak)
