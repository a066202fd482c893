"""A small server-side SVG line chart (no chart library, no CDN, no JavaScript needed)."""

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 30, 12, 28


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    points: str  # "x,y x,y ..." for an SVG polyline


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list
    y_ticks: list  # (y, label)
    x_labels: list  # (x, label)
    plot_bottom: int
    plot_left: int
    plot_right: int


def nice_max(value):
    """A round upper bound (1, 2, 5 x 10^n) at or above `value`, at least 5."""
    magnitude = 1
    while True:
        for mantissa in (1, 2, 5):
            bound = mantissa * magnitude
            if bound >= max(value, 5):
                return bound
        magnitude *= 10


def line_chart(days):
    """Chart visits and unique visitors per day from a list of DayCounts."""
    top = nice_max(max([d.visits for d in days] + [d.visitors for d in days] + [1]))
    steps = 4 if top % 4 == 0 else 5
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(len(days) - 1, 1)

    def x(i):
        return round(PAD_LEFT + i * step, 1)

    def y(v):
        return round(PAD_TOP + plot_h - v * plot_h / top, 1)

    def points(attr):
        return " ".join(f"{x(i)},{y(getattr(d, attr))}" for i, d in enumerate(days))

    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=[
            Series("Visits", "series-visits", points("visits")),
            Series("Unique visitors", "series-visitors", points("visitors")),
        ],
        # 4 or 5 steps, whichever divides the top evenly, so every label is a whole number.
        y_ticks=[(y(top * k // steps), str(top * k // steps)) for k in range(steps + 1)],
        # A date under every seventh day, counted back from today.
        x_labels=[
            (x(i), d.day.strftime("%b %d")) for i, d in enumerate(days) if (len(days) - 1 - i) % 7 == 0
        ],
        plot_bottom=PAD_TOP + plot_h,
        plot_left=PAD_LEFT,
        plot_right=WIDTH - PAD_RIGHT,
    )
