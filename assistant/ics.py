"""Calendar export: a timeline's deadlines as an iCalendar (.ics) file, one all-day event each.

The one builder that the CLI (``timeline --format ics``), the API (``GET /api/timeline.ics``)
and the UI's download button call. Each VEVENT's SUMMARY names the deadline; its DESCRIPTION
carries the document title, the article, the rule's quote verbatim and the reading used, so
the calendar entry stands on its own when read months later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from icalendar import Calendar
from icalendar import Event as VEvent

from .rules import RulesTable
from .timeline import EVENTS
from .types import Document, Event

PRODID = "-//policy-assistant//timeline//ZH"


def ics_filename(doc_id: str, event: str, date: dt.date) -> str:
    """ASCII file name for a download: ``chongqing-carbon-2024-change-2025-09-26.ics`` (safe in a
    Content-Disposition header whatever a document id holds)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", f"{doc_id}-{event}-{date.isoformat()}") + ".ics"


def _uid(doc_id: str, event: str, date: dt.date, e: Event) -> str:
    """Stable per deadline, so importing the same timeline again updates instead of duplicating."""
    key = f"{doc_id}|{event}|{date.isoformat()}|{e.rule_id}|{e.name}|{e.date.isoformat()}"
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}@policy-assistant"


def _description(doc: Document, e: Event, quote: str, *, event: str, date: dt.date) -> str:
    lines = [f"文件：{doc.meta.title}（{doc.id}）",
             f"条款：{e.article}",
             f"原文：“{quote}”" if quote else "",
             f"起算：{EVENTS.get(event, event)} {date.isoformat()}",
             f"读法：{e.reading}" if e.reading else ""]
    if e.alternative:
        lines.append(f"另一读法的日期：{e.alternative.isoformat()}")
    lines.append("由政策文件助手按文件规则计算，请以原文及主管部门意见为准。")
    return "\n".join(line for line in lines if line)


def timeline_ics(events: list[Event], *, doc: Document, table: RulesTable, event: str, date: dt.date,
                 stamp: dt.datetime | None = None) -> bytes:
    """The events computed for ``event`` on ``date`` under ``doc`` as an .ics calendar (UTF-8 bytes)."""
    quotes = {r.id: r.verbatim or r.quote for r in table.rules if r.doc_id == doc.id}  # as the document wrote it
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{doc.meta.title}·{EVENTS.get(event, event)} {date.isoformat()}")
    for e in events:
        vevent = VEvent()
        vevent.add("uid", _uid(doc.id, event, date, e))
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", e.date)  # a date, not a datetime: an all-day event
        vevent.add("dtend", e.date + dt.timedelta(days=1))  # exclusive end (RFC 5545)
        vevent.add("summary", f"{e.name}（{doc.meta.title} {e.article}）")
        vevent.add("description", _description(doc, e, quotes.get(e.rule_id, ""), event=event, date=date))
        vevent.add("categories", ["政策期限"])
        vevent.add("transp", "TRANSPARENT")  # a deadline, not a busy day
        cal.add_component(vevent)
    return cal.to_ical()
