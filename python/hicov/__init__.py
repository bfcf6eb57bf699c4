"""hicov: health-insurance (BHYT) coverage and expenditure indicators.

A thin binding of the hicov C core.  Every number comes from the core's C
API; this package only re-exports the extension module.

    >>> import hicov
    >>> ds = hicov.demo()
    >>> round(ds.value("coverage_rate", "20", "2024"), 1)
    94.1
"""

from ._hicov import (
    AdxStats,
    Chart,
    Claims,
    ClaimsCounts,
    ClaimsTotals,
    Dataset,
    Error,
    FileError,
    InvalidError,
    LimitError,
    LoadStats,
    MissingError,
    NoMemoryError,
    NotFoundError,
    ParseError,
    Report,
    Resolution,
    Result,
    SumOverflowError,
    UnsupportedError,
    __version__,
    cagr,
    collate_key,
    coverage_rate,
    demo,
    from_frames,
    group_label,
    growth,
    indicator_label,
    indicators,
    level_label,
    load,
    load_resolution,
    measures,
    period,
    ratio,
    read_claims,
    text_lang,
    read_workbook,
    write_table,
)

from ._options import options

# The name the issue used for file errors; FileError is the same class.
IOError = FileError

__all__ = [
    "AdxStats",
    "Chart",
    "Claims",
    "ClaimsCounts",
    "ClaimsTotals",
    "Dataset",
    "Error",
    "FileError",
    "InvalidError",
    "LimitError",
    "LoadStats",
    "MissingError",
    "NoMemoryError",
    "NotFoundError",
    "ParseError",
    "Report",
    "Resolution",
    "Result",
    "SumOverflowError",
    "UnsupportedError",
    "__version__",
    "cagr",
    "collate_key",
    "coverage_rate",
    "demo",
    "from_frames",
    "group_label",
    "growth",
    "indicator_label",
    "indicators",
    "level_label",
    "load",
    "load_resolution",
    "measures",
    "options",
    "period",
    "ratio",
    "read_claims",
    "text_lang",
    "read_workbook",
    "write_table",
]
