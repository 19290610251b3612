"""PDF (reportlab platypus): real text, grouped by state, totals, page numbers, title metadata.

The document opens with the title ("Activated jurisdictions as of 30 September 2010"), the source
and generation time, and the totals; then one heading and table per state. A report (a table
source that gives sections, like the quarterly review) is laid out landscape instead, section by
section: heading, sentences, figure, rows. Every page footer repeats the title and carries
"Page N". The PDF's creation date is the generation time and its
file ID is derived from the content, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.lib.utils import TimeStamp
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tracker.exports.sources import group_by_state
from tracker.exports.table import Column, ExportMeta, Row, cell_text, neutralise
from tracker.exports.writers.figures import drawing

STYLES = getSampleStyleSheet()
CELL_STYLE = ParagraphStyle("cell", parent=STYLES["Normal"], fontSize=9, leading=11)
# How much wider than the others a column is (the rest weigh 1).
WEIGHTS = {"jurisdiction": 3, "note": 4}
TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f0f0f0")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
)


def _timestamp(moment: dt.datetime) -> TimeStamp:
    """reportlab's document clock, set to `moment` (UTC) instead of the time of writing."""
    stamp = TimeStamp(invariant=True)
    utc = moment.astimezone(dt.UTC)
    stamp.t = utc.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(LETTER) if meta.sections else LETTER,
        title=meta.title,
        author=meta.source,
        subject=f"{meta.title}; generated {meta.generated_iso}",
        creator=meta.source,
        keywords=[meta.list_name, meta.as_of.isoformat()],
        invariant=True,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.75 * inch,
    )
    story = [
        Paragraph(escape(meta.title), STYLES["Title"]),
        Paragraph(
            escape(
                f"Source: {meta.source}. As of {meta.as_of.isoformat()}. "
                f"Generated {meta.generated_iso}."
            ),
            STYLES["Normal"],
        ),
    ]
    if meta.filters:
        filters = ", ".join(f"{k}={v}" for k, v in sorted(meta.filters.items()))
        story.append(Paragraph(escape(neutralise(f"Filters: {filters}")), STYLES["Normal"]))
    if meta.sections:
        story += _sections(columns, rows, meta, document.width)
    else:
        story += _by_state(columns, rows, document.width)

    def decorate(canvas, doc) -> None:
        if doc.page == 1:
            canvas._doc._timeStamp = _timestamp(meta.generated_at)
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(doc.leftMargin, 0.5 * inch, f"{meta.title} · {meta.source}")
        canvas.drawRightString(doc.leftMargin + doc.width, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _table(columns: Sequence[Column], shown: list[int], rows: Sequence[Row], width: float) -> Table:
    data = [[columns[i].label for i in shown]]
    data += [[_cell(neutralise(cell_text(row[i]))) for i in shown] for row in rows]
    table = Table(
        data, colWidths=_widths([columns[i] for i in shown], width), repeatRows=1, hAlign="LEFT"
    )
    table.setStyle(TABLE_STYLE)
    return table


def _by_state(columns: Sequence[Column], rows: Sequence[Row], width: float) -> list:
    """The lists: the totals, then one heading and table per state."""
    # The table shows everything but the state columns, which the group heading already names.
    shown = [i for i, c in enumerate(columns) if c.key not in ("state", "state_name")]
    groups = group_by_state(rows)
    story: list = [
        Paragraph(
            f"Total: {len(rows):,} jurisdictions in {len(groups):,} states and territories.",
            STYLES["Heading3"],
        )
    ]
    for group in groups:
        story.append(
            Paragraph(
                escape(neutralise(f"{group.name} ({group.postal}): {group.count:,}")),
                STYLES["Heading2"],
            )
        )
        story += [_table(columns, shown, group.rows, width), Spacer(1, 6)]
    return story


def _sections(
    columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta, width: float
) -> list:
    """A report: per section its heading, sentences, figure and rows (or a line saying none)."""
    group = next(i for i, c in enumerate(columns) if c.key == meta.group_column)
    shown = [i for i in range(len(columns)) if i != group]
    story: list = []
    for section in meta.sections:
        story.append(Paragraph(escape(neutralise(section.heading)), STYLES["Heading2"]))
        story += [Paragraph(escape(neutralise(line)), STYLES["Normal"]) for line in section.lines]
        if section.figure is not None:
            story += [Spacer(1, 4), drawing(section.figure, width), Spacer(1, 4)]
        members = [row for row in rows if row[group] == section.key]
        if members:
            story.append(_table(columns, shown, members, width))
        else:
            story.append(Paragraph("No rows.", STYLES["Normal"]))
        story.append(Spacer(1, 8))
    return story


def _cell(text: str):
    """Long text (a note) wraps within its column; short values stay plain strings."""
    return Paragraph(escape(text), CELL_STYLE) if len(text) > 40 else text


def _widths(columns: Sequence[Column], total: float) -> list[float]:
    weights = [WEIGHTS.get(c.key, 1) for c in columns]
    unit = total / sum(weights)
    return [w * unit for w in weights]
