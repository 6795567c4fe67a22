"""Reads an Atom feed with an independent parser (PyPI feedparser, pinned in .ci/run) and prints
what the tests check, as JSON: whether it parsed cleanly (bozo), the feed's id, title, version,
and each entry's id, title, updated, author and link, in document order.
Usage: python3 read_feed.py FEED.atom"""
import json
import sys

import feedparser

with open(sys.argv[1], "rb") as f:
    d = feedparser.parse(f.read())
print(json.dumps({
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "version": d.version,
    "id": d.feed.get("id"),
    "title": d.feed.get("title"),
    "updated": d.feed.get("updated"),
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "updated": e.get("updated"),
            "author": e.get("author"),
            "link": e.get("link"),
            "summary": e.get("summary"),
        }
        for e in d.entries
    ],
}, ensure_ascii=False))
