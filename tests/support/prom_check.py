#!/usr/bin/python3
"""tests/support/prom_check.py FILE... — check Prometheus text expositions (format 0.0.4).

Each file is parsed with prometheus_client's text parser (Debian python3-prometheus-client),
then checked for what a Prometheus server or a reader relies on:
  - the parser accepts it;
  - every family has a "# TYPE" and a non-empty "# HELP" line, and appears once (not split
    into groups, which the parser turns into two families of one name);
  - no series (name and label set) twice;
  - no sample outside a typed family (the parser makes such samples a family of type "unknown");
  - counters are >= 0; histograms have, per label set, cumulative _bucket series ending in
    le="+Inf" equal to _count, and a _sum;
  - no family but a histogram named like a histogram's parts (…_sum, …_bucket), the mark of a
    hand-written latency sum.
Prints one line per file ("ok" or "bad", not "FAIL": tests/run collects FAIL lines of test logs)
and exits 1 if any file fails (0 otherwise).
"""
import math
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

PARTS = ("_sum", "_bucket")


def check(text):
    errs = []
    typed, helped = {}, {}
    for line in text.splitlines():
        m = re.match(r"# (TYPE|HELP) (\S+)(?: (.*))?$", line)
        if m:
            table = typed if m.group(1) == "TYPE" else helped
            if m.group(2) in table:
                errs.append("%s %s given twice" % (m.group(1), m.group(2)))
            table[m.group(2)] = m.group(3) or ""
    try:
        fams = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser's verdict
        return ["parser: %s" % e], 0, 0
    names, series = set(), set()
    nseries = 0
    for f in fams:
        raw = f.name + "_total" if f.type == "counter" and f.name + "_total" in typed else f.name
        if f.name in names:
            errs.append("family %s appears more than once (split into groups)" % f.name)
        names.add(f.name)
        if raw not in typed or f.type == "unknown" and typed.get(raw) != "untyped":
            errs.append("family %s has no # TYPE (samples: %s)" % (f.name, ", ".join(s.name for s in f.samples[:3])))
        if not helped.get(raw, "").strip():
            errs.append("family %s has no # HELP" % f.name)
        if f.name.endswith(PARTS) and f.type != "histogram":
            errs.append("family %s is named like a histogram part (%s)" % (f.name, f.type))
        hist = {}
        for s in f.samples:
            key = (s.name, frozenset(s.labels.items()))
            if key in series:
                errs.append("duplicate series %s%s" % (s.name, dict(s.labels)))
            series.add(key)
            nseries += 1
            if f.type == "counter" and (math.isnan(s.value) or s.value < 0):
                errs.append("counter %s%s = %s" % (s.name, dict(s.labels), s.value))
            if f.type == "histogram":
                base = frozenset((k, v) for k, v in s.labels.items() if k != "le")
                h = hist.setdefault(base, {"buckets": [], "sum": None, "count": None})
                if s.name == f.name + "_bucket":
                    h["buckets"].append((float(s.labels["le"]), s.value))
                elif s.name == f.name + "_sum":
                    h["sum"] = s.value
                elif s.name == f.name + "_count":
                    h["count"] = s.value
                else:
                    errs.append("histogram %s has a sample %s" % (f.name, s.name))
        for base, h in hist.items():
            b = sorted(h["buckets"])
            where = "%s%s" % (f.name, dict(base))
            if not b or b[-1][0] != math.inf:
                errs.append("histogram %s has no le=\"+Inf\" bucket" % where)
            if any(b[i][1] > b[i + 1][1] for i in range(len(b) - 1)):
                errs.append("histogram %s buckets are not cumulative" % where)
            if h["count"] is None or h["sum"] is None:
                errs.append("histogram %s lacks _sum or _count" % where)
            elif b and b[-1][1] != h["count"]:
                errs.append("histogram %s: +Inf bucket %s != _count %s" % (where, b[-1][1], h["count"]))
    return errs, len(fams), nseries


def main(paths):
    bad = 0
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            errs, nf, ns = check(fh.read())
        if errs:
            bad += 1
            print("bad  %s: %d problems" % (p, len(errs)))
            for e in errs[:40]:
                print("  " + e)
        else:
            print("ok   %s: %d families, %d samples" % (p, nf, ns))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
