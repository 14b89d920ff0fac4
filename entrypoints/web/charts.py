"""Server-side SVG charts, no JavaScript: each returns one `<figure>` holding the picture (with `<title>`/`<desc>`)
and the same numbers as an HTML table under a `<details>` toggle. Every piece of caller text is escaped; inputs are
bounded (the last MAX_POINTS points, the first MAX_SERIES - 1 series and the rest summed as "others")."""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import floor, log10

from markupsafe import Markup, escape

Number = Decimal | float | int
# atrium.css's --series-1..8 in light mode, as SVG attributes; the stylesheet sets them (dark mode too) by class
PALETTE = ("#2455c3", "#1e7d45", "#b3261e", "#a15c00", "#7b3fb0", "#00838f", "#c2185b", "#5d6d7e")
MAX_POINTS = 120  # x positions shown: 10 years of months, 2 years of weeks, 4 months of days
MAX_SERIES = len(PALETTE)  # colours a reader can still tell apart; the rest become one "others" series
MAX_LABEL = 40  # characters of a label drawn in the picture (the table shows it whole)
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 40  # margins around the plot: axis labels on the left and bottom
NO_DATA = "No data for this period yet."


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values, one per x label; None is a gap (no value that week), drawn as nothing."""

    name: str
    values: Sequence[Number | None]


def plain(value: Number) -> str:
    """A number as a person reads it: Decimals as they are, floats to two places without trailing zeros."""
    if isinstance(value, Decimal):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return "0" if text == "-0" else text


def stacked_bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, description: str = "",
                      label_heading: str = "", fmt: Callable[[Number], str] = plain, chart_id: str = "") -> Markup:
    """Bars per label, one coloured segment per series stacked upward (e.g. a month's spending by category); each
    bar's height is its total over the largest total. Negative values count as 0 in the picture, not the table."""
    labels, series, note = _bounded(labels, series)
    totals = [sum((_positive(s.values[i]) for s in series), 0.0) for i in range(len(labels))]
    if not labels or not series or all(v is None for s in series for v in s.values):
        return _empty(title)
    top = _nice_top(max(totals, default=0.0))
    cid = chart_id or _id(title)
    step = (WIDTH - LEFT - RIGHT) / len(labels)
    bar = step * 0.7
    body: list[str] = []
    for index, serie in enumerate(series):
        body.append(_series_group(index, serie.name))
        for position, label in enumerate(labels):
            below = sum((_positive(s.values[position]) for s in series[:index]), 0.0)
            value = serie.values[position]
            height = _scale(_positive(value), top)
            if height <= 0 or value is None:
                continue
            x = LEFT + position * step + (step - bar) / 2
            y = HEIGHT - BOTTOM - _scale(below, top) - height
            body.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{bar:.2f}" height="{height:.2f}">'
                        f'<title>{escape(_short(label))}, {escape(serie.name)}: {escape(fmt(value))}</title></rect>')
        body.append("</g>")
    show_totals = len(series) > 1
    svg = _svg(cid, title, _described(description, note), top, fmt, labels, "".join(body))
    legend = _legend(series) if show_totals else ""
    table = _table(title, label_heading, labels, series, fmt, totals if show_totals else None)
    return _figure(title, svg + legend + table)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[Number | None], *, name: str = "Value",
              description: str = "", label_heading: str = "", fmt: Callable[[Number], str] = plain,
              chart_id: str = "") -> Markup:
    """One bar per label (e.g. a key's requests per day): a stacked chart of a single series."""
    return stacked_bar_chart(title, labels, [Series(name, values)], description=description,
                             label_heading=label_heading, fmt=fmt, chart_id=chart_id)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, description: str = "",
               label_heading: str = "", fmt: Callable[[Number], str] = plain, zero_based: bool = True,
               chart_id: str = "") -> Markup:
    """One line per series over the labels (e.g. deployments per week, a weight trend), with a dot per value and a
    break at each gap; `zero_based=False` fits the axis to the values (a weight trend, where 0 kg says nothing)."""
    labels, series, note = _bounded(labels, series)
    present = [float(v) for s in series for v in s.values if v is not None]
    if not labels or not present:
        return _empty(title)
    low = 0.0 if zero_based else _nice_bottom(min(present), max(present))
    top = _nice_top(max(present), low)
    cid = chart_id or _id(title)
    step = (WIDTH - LEFT - RIGHT) / len(labels)
    body: list[str] = []
    for index, serie in enumerate(series):
        body.append(_series_group(index, serie.name))
        runs: list[list[str]] = [[]]
        for position, value in enumerate(serie.values):
            if value is None:
                runs.append([])
                continue
            x = LEFT + position * step + step / 2
            y = HEIGHT - BOTTOM - _scale(float(value) - low, top - low)
            runs[-1].append(f"{x:.2f},{y:.2f}")
            body.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3"><title>{escape(_short(labels[position]))}, '
                        f'{escape(serie.name)}: {escape(fmt(value))}</title></circle>')
        body.extend(f'<polyline fill="none" stroke-width="2" points="{" ".join(run)}"/>'
                    for run in runs if len(run) > 1)
        body.append("</g>")
    svg = _svg(cid, title, _described(description, note), top, fmt, labels, "".join(body), low)
    legend = _legend(series) if len(series) > 1 else ""
    return _figure(title, svg + legend + _table(title, label_heading, labels, series, fmt, None))


def _bounded(labels: Sequence[str], series: Sequence[Series]) -> tuple[list[str], list[Series], str]:
    """The last MAX_POINTS labels and at most MAX_SERIES series (the rest summed as "others"), and a note saying
    what was left out ("" when nothing was)."""
    notes = []
    if len(labels) > MAX_POINTS:
        notes.append(f"Showing the last {MAX_POINTS} of {len(labels)} points.")
    cut = max(0, len(labels) - MAX_POINTS)
    kept = [Series(s.name, list(s.values[cut:len(labels)])) for s in series]
    for serie in kept:
        if len(serie.values) != len(labels) - cut:
            raise ValueError(f"series {serie.name!r} has {len(serie.values)} values for {len(labels) - cut} labels")
    if len(kept) > MAX_SERIES:
        rest = kept[MAX_SERIES - 1:]
        summed: list[Number | None] = [
            _sum_or_none([s.values[i] for s in rest]) for i in range(len(labels) - cut)]
        kept = [*kept[:MAX_SERIES - 1], Series(f"{len(rest)} others", summed)]
        notes.append(f"The last {len(rest)} series are summed as “{len(rest)} others”.")
    return list(labels[cut:]), kept, " ".join(notes)


def _sum_or_none(values: list[Number | None]) -> Number | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, Decimal) for v in present):
        return sum(present, Decimal(0))
    return sum(float(v) for v in present)


def _svg(cid: str, title: str, description: str, top: float, fmt: Callable[[Number], str], labels: Sequence[str],
         body: str, low: float = 0.0) -> str:
    """The picture's frame: title, description, horizontal grid with values, x labels (every k-th when crowded)."""
    grid = []
    for tick in range(5):
        value = low + (top - low) * tick / 4
        y = HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * tick / 4
        grid.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.2f}" y2="{y:.2f}"/>'
                    f'<text x="{LEFT - 6}" y="{y + 4:.2f}" text-anchor="end">{escape(fmt(_tick(value)))}</text>')
    step = (WIDTH - LEFT - RIGHT) / len(labels)
    every = max(1, -(-len(labels) * 70 // (WIDTH - LEFT - RIGHT)))  # about 70 pixels per drawn label
    xs = "".join(f'<text x="{LEFT + i * step + step / 2:.2f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
                 f"{escape(_short(label, 12))}</text>" for i, label in enumerate(labels) if i % every == 0)
    return (f'<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false">'
            f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(description)}</desc>'
            f'<g class="chart-grid" aria-hidden="true" stroke="currentColor" stroke-opacity="0.25" '
            f'fill="currentColor" font-size="12">{"".join(grid)}</g>{body}'
            f'<g class="chart-x" aria-hidden="true" fill="currentColor" font-size="12">{xs}</g></svg>')


def _series_group(index: int, name: str) -> str:
    colour = PALETTE[index % len(PALETTE)]
    return (f'<g class="series series-{index % MAX_SERIES}" fill="{colour}" stroke="{colour}">'
            f"<title>{escape(name)}</title>")


def _legend(series: Sequence[Series]) -> str:
    items = "".join(f'<li><span class="swatch series-{i % MAX_SERIES}" aria-hidden="true"></span>'
                    f"{escape(s.name)}</li>" for i, s in enumerate(series))
    return f'<ul class="chart-legend">{items}</ul>'


def _table(title: str, heading: str, labels: Sequence[str], series: Sequence[Series], fmt: Callable[[Number], str],
           totals: list[float] | None) -> str:
    """The chart's numbers, one row per label and one column per series (and a total column for stacks)."""
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    head += '<th scope="col">Total</th>' if totals is not None else ""
    rows = []
    for i, label in enumerate(labels):
        cells = "".join(f"<td>{escape(_cell(s.values[i], fmt))}</td>" for s in series)
        if totals is not None:
            cells += f"<td>{escape(_cell(_sum_or_none([s.values[i] for s in series]), fmt))}</td>"
        rows.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
    return (f'<details class="chart-data"><summary>Show the numbers</summary><table>'
            f'<caption>{escape(title)}</caption><thead><tr><th scope="col">{escape(heading)}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></details>')


def _figure(title: str, inner: str) -> Markup:
    """The chart with its title shown above it (the picture's own <title> is for screen readers and tooltips)."""
    return Markup(f'<figure class="chart"><figcaption class="chart-title">{escape(title)}</figcaption>{inner}'
                  "</figure>")


def _empty(title: str) -> Markup:
    """An honest empty chart: the title and a sentence, no axes pretending to show zero."""
    return Markup(f'<figure class="chart chart-empty"><figcaption class="chart-title">{escape(title)}</figcaption>'
                  f'<p class="no-data">{escape(NO_DATA)}</p></figure>')


def _described(description: str, note: str) -> str:
    return " ".join(part for part in (description, note, "The numbers are in the table below.") if part)


def _cell(value: Number | None, fmt: Callable[[Number], str]) -> str:
    return "—" if value is None else fmt(value)


def _positive(value: Number | None) -> float:
    return max(0.0, float(value)) if value is not None else 0.0


def _scale(value: float, span: float) -> float:
    """Pixels for `value` on an axis where `span` fills the plot's height."""
    return (HEIGHT - TOP - BOTTOM) * value / span if span > 0 else 0.0


def _nice_top(largest: float, low: float = 0.0) -> float:
    """The axis top: the smallest 1, 2, 2.5 or 5 × 10^k step times 4 above `low` that reaches `largest`."""
    span = largest - low
    if span <= 0:
        return low + 1.0
    raw = span / 4
    magnitude = 10.0 ** floor(log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return low + step * 4


def _nice_bottom(smallest: float, largest: float) -> float:
    """A round axis bottom a little below `smallest` (for axes that need not start at 0)."""
    span = max(largest - smallest, abs(smallest) * 0.05, 1.0)
    magnitude = 10.0 ** floor(log10(span))
    return floor((smallest - span * 0.1) / magnitude) * magnitude


def _tick(value: float) -> Number:
    return int(value) if float(value).is_integer() else round(value, 2)


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _id(title: str) -> str:
    return "chart-" + hashlib.sha1(title.encode()).hexdigest()[:10]
