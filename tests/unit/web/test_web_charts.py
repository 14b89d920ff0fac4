"""The web app's SVG charts: what a reader relies on — the numbers are in the table, bar heights are proportional,
no text of theirs can break out of the markup, empty data says so, and the picture is described for screen readers."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from entrypoints.web.charts import MAX_POINTS, MAX_SERIES, NO_DATA, Series, bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    """The figure as XML: the markup must be well formed (an unescaped `<` or `&` would fail here)."""
    return ET.fromstring(str(markup).replace('xmlns="http://www.w3.org/2000/svg"', ""))


def bar_heights(figure: ET.Element) -> list[float]:
    return [float(rect.attrib["height"]) for rect in figure.iter("rect")]


def table_rows(figure: ET.Element) -> list[list[str]]:
    return [["".join(cell.itertext()) for cell in row] for row in figure.iter("tr")]


def test_a_bar_chart_draws_heights_proportional_to_the_values_and_lists_them_in_a_table() -> None:
    figure = parsed(bar_chart("Requests per day", ["1 Dec", "2 Dec", "3 Dec"], [10, 40, 20],
                              name="Requests", label_heading="Day"))

    heights = bar_heights(figure)
    assert heights[1] == pytest.approx(4 * heights[0]) and heights[2] == pytest.approx(2 * heights[0])
    assert table_rows(figure) == [["Day", "Requests"], ["1 Dec", "10"], ["2 Dec", "40"], ["3 Dec", "20"]]
    assert figure.find(".//details/summary") is not None  # the table sits under a toggle


def test_a_stacked_bar_chart_stacks_categories_and_totals_each_month() -> None:
    figure = parsed(stacked_bar_chart(
        "Spending by category", ["Jan", "Feb"],
        [Series("Food", [Decimal("30.00"), Decimal("10.00")]), Series("Rent", [Decimal("90.00"), None])],
        label_heading="Month"))

    food_jan, food_feb, rent_jan = bar_heights(figure)
    assert food_jan == pytest.approx(3 * food_feb) and rent_jan == pytest.approx(3 * food_jan)
    assert table_rows(figure) == [["Month", "Food", "Rent", "Total"], ["Jan", "30.00", "90.00", "120.00"],
                                  ["Feb", "10.00", "—", "10.00"]]
    jan_food, jan_rent = [r for r in figure.iter("rect")][0], [r for r in figure.iter("rect")][2]
    assert float(jan_rent.attrib["y"]) + rent_jan == pytest.approx(float(jan_food.attrib["y"]))  # rent on food
    assert ["".join(li.itertext()) for li in figure.iter("li")] == ["Food", "Rent"]  # a legend names the colours


def test_the_picture_is_titled_and_described_for_screen_readers() -> None:
    figure = parsed(bar_chart("Requests per day", ["1 Dec"], [3], description="Requests of key Laptop."))

    svg = figure.find("svg")
    assert svg is not None and svg.attrib["role"] == "img"
    title_id, desc_id = svg.attrib["aria-labelledby"].split()
    assert svg.find(f"title[@id='{title_id}']").text == "Requests per day"  # type: ignore[union-attr]
    assert "Requests of key Laptop." in svg.find(f"desc[@id='{desc_id}']").text  # type: ignore[union-attr]
    assert figure.find(".//table/caption").text == "Requests per day"  # type: ignore[union-attr]


def test_user_text_is_escaped_everywhere() -> None:
    hostile = '</title><script>alert("x")</script>&'
    markup = str(stacked_bar_chart(hostile, [hostile], [Series(hostile, [Decimal("1")])], description=hostile,
                                   label_heading=hostile))

    assert "<script>" not in markup
    figure = parsed(markup)  # well formed: nothing broke out of its element
    assert hostile in "".join(figure.itertext())
    assert table_rows(figure)[0][1] == hostile


def test_empty_data_says_there_is_no_data_instead_of_drawing_zeroes() -> None:
    for chart in (bar_chart("Requests", [], []), stacked_bar_chart("Spending", ["Jan"], []),
                  line_chart("Lead time", ["W1", "W2"], [Series("Hours", [None, None])])):
        figure = parsed(chart)
        assert figure.find(".//svg") is None and NO_DATA in "".join(figure.itertext())


def test_zero_is_data_not_no_data() -> None:
    figure = parsed(bar_chart("Deployments", ["W1", "W2"], [0, 0]))

    assert figure.find("svg") is not None and table_rows(figure)[1:] == [["W1", "0"], ["W2", "0"]]


def test_a_line_chart_places_higher_values_higher_and_breaks_at_gaps() -> None:
    figure = parsed(line_chart("Deployments per week", ["W1", "W2", "W3", "W4"],
                               [Series("Deployments", [2, 4, None, 1])], label_heading="Week"))

    ys = [float(c.attrib["cy"]) for c in figure.iter("circle")]
    bottom = max(float(line.attrib["y1"]) for line in figure.iter("line"))
    assert len(ys) == 3  # no dot for the missing week
    assert (bottom - ys[1]) == pytest.approx(2 * (bottom - ys[0]))  # zero-based: 4 is twice as high as 2
    assert len(list(figure.iter("polyline"))) == 1  # W1-W2 joined; W4 stands alone after the gap
    assert table_rows(figure)[1:] == [["W1", "2"], ["W2", "4"], ["W3", "—"], ["W4", "1"]]


def test_a_weight_trend_fits_its_axis_to_the_values() -> None:
    figure = parsed(line_chart("Weight", ["1 Dec", "8 Dec"], [Series("kg", [80.4, 79.6])], zero_based=False))

    ys = [float(c.attrib["cy"]) for c in figure.iter("circle")]
    assert ys[1] - ys[0] > 20  # a loss of 0.8 kg is visible, not a flat line near the top
    assert table_rows(figure)[1:] == [["1 Dec", "80.4"], ["8 Dec", "79.6"]]


def test_inputs_are_bounded_and_the_reader_is_told_what_was_left_out() -> None:
    labels = [f"day {n}" for n in range(MAX_POINTS + 30)]
    many = [Series(f"key {n}", [1] * len(labels)) for n in range(MAX_SERIES + 5)]
    figure = parsed(stacked_bar_chart("Usage", labels, many))

    rows = table_rows(figure)
    assert len(rows) == MAX_POINTS + 1 and rows[1][0] == "day 30"  # the latest points are kept
    assert rows[0][-2] == "6 others" and rows[1][-2] == "6" and len(rows[0]) == MAX_SERIES + 2
    description = "".join(figure.find(".//desc").itertext())  # type: ignore[union-attr]
    assert f"last {MAX_POINTS} of {len(labels)}" in description


def test_a_series_with_the_wrong_number_of_values_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        stacked_bar_chart("Spending", ["Jan", "Feb"], [Series("Food", [1])])
