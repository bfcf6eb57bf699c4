"""HTML summaries of hicov objects for notebooks (Dataset, Resolution and
Claims ``_repr_html_``).  They lay out what the objects' own properties
say, computed by the core; nothing is recomputed here.  The markup is a
plain table with a class and no styles, so it follows the notebook's look
and changes nothing else on the page."""

from html import escape

LEVELS = ("country", "province", "district", "commune", "facility")


def _table(kind, title, rows):
    out = ['<table class="hicov-summary hicov-%s">' % kind,
           "<caption>%s</caption>" % escape(title), "<tbody>"]
    for key, value in rows:
        out.append("<tr><th>%s</th><td>%s</td></tr>" % (escape(key), escape(str(value))))
    out.append("</tbody></table>")
    return "\n".join(out)


def _count(n, word):
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return "%s %s" % ("{:,}".format(n), word if n == 1 else plural)


def dataset_html(ds):
    levels = ds.units()["level"].value_counts()
    units = ", ".join(_count(int(levels[k]), k) for k in LEVELS if k in levels) or "none"
    span = ds.month_span
    res = ds.resolutions
    rows = [("Units", units),
            ("Values", "%s to %s" % span if span else "none"),
            ("Beneficiary groups", ", ".join(ds.groups) or "none"),
            ("Resolutions", "; ".join("%s (%s)" % (r.number, r.body) for r in res)
             or "none"),
            ("Language", ds.lang or "the process's"),
            ("Fund share", "%g %%" % ds.fund_share),
            ("Boundaries", ds.boundaries)]
    return _table("dataset", "hicov.Dataset", rows)


def resolution_html(res):
    rows = [("Body", res.body), ("Number", res.number), ("Title", res.title),
            ("Term", "%d–%d" % tuple(res.term))]
    for i, t in enumerate(res.targets, 1):
        where = t["unit"] + (" (each %s)" % t["level"] if t.get("level") else "")
        cmp = "≤" if t.get("comparison") == "at_most" else "≥"
        rows.append(("Target %d" % i, "%s of %s %s %g by %d%s" % (
            t["indicator"], where, cmp, t["threshold"], t["deadline"],
            ", from %d" % t["baseline"] if t.get("baseline") else "")))
    return _table("resolution", "hicov.Resolution", rows)


def claims_html(claims):
    c, t = claims.counts, claims.totals
    months = "%s to %s" % (t.first_month, t.last_month) if t.first_month else "none"
    rows = [("Records", "%s read, %s accepted, %s rejected, %s duplicates" % tuple(
                "{:,}".format(v) for v in (c.read, c.accepted, c.rejected, c.duplicates))),
            ("Files", "%s read, %s failed" % ("{:,}".format(c.files_read),
                                              "{:,}".format(c.files_failed))),
            ("Months", months),
            ("Visits", "{:,} ({:,} inpatient, {:,} days)".format(
                t.visits, t.inpatient_visits, t.inpatient_days)),
            ("Total cost", "{:,} đồng".format(t.total_cost)),
            ("Paid by the fund", "{:,} đồng".format(t.fund_paid)),
            ("Patients", "%s at %s" % ("{:,}".format(t.patients),
                                       _count(t.facilities, "facility")))]
    return _table("claims", "hicov.Claims", rows)
