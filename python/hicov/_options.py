"""hicov.options: how hicov's objects show in a notebook."""

CHART_FORMATS = ("svg", "png")


class Options:
    """Display options, one set per process: ``hicov.options``.

    chart_format: the one image a notebook gets for a Chart, 'svg' (the
    default: sharp at any zoom, a few tens of kB) or 'png' (pixels at the
    chart's size; smaller for charts with many points).  A notebook keeps
    every representation an object offers, so a chart offers only this one.
    """

    __slots__ = ("_chart_format",)

    def __init__(self):
        self._chart_format = "svg"

    @property
    def chart_format(self):
        return self._chart_format

    @chart_format.setter
    def chart_format(self, value):
        if value not in CHART_FORMATS:
            raise ValueError(f"chart_format must be 'svg' or 'png', not {value!r}")
        self._chart_format = value

    def __repr__(self):
        return f"hicov.options(chart_format={self._chart_format!r})"


options = Options()
