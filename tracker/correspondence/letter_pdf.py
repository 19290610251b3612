"""A letter as a PDF (reportlab): letterhead, date, addresses, reference, subject, body, and
"Reference … · Page N of M" on every page.

The same inputs give the same bytes (invariant mode, the document clock set to the letter's
date), so the PDF an editor downloads to post is byte for byte the one recorded as posted.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from tracker.formatting import long_date

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("LetterBody", parent=STYLES["Normal"], fontSize=11, leading=15)
LETTERHEAD = ParagraphStyle(
    "Letterhead", parent=STYLES["Normal"], fontName="Helvetica-Bold", fontSize=13, leading=16
)
LETTERHEAD_LINE = ParagraphStyle("LetterheadLine", parent=STYLES["Normal"], fontSize=9)


@dataclass(frozen=True)
class LetterContent:
    letterhead: list[str]
    reference: str
    dated: dt.date
    recipient_lines: list[str]
    copies: list[str]
    subject: str
    body: str
    title: str


def _document_clock(day: dt.date) -> TimeStamp:
    """reportlab's creation date, fixed at noon UTC on the letter's date."""
    stamp = TimeStamp(invariant=True)
    stamp.t = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _numbered_canvas(reference: str, dated: dt.date):
    """A canvas that writes "Page N of M" once it knows M (pages are kept until the end)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _document_clock(dated)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802  (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.drawString(0.9 * inch, 0.5 * inch, f"Reference {reference}")
                self.drawRightString(
                    LETTER[0] - 0.9 * inch, 0.5 * inch, f"Page {self._pageNumber} of {total}"
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def _lines(lines: list[str]) -> str:
    return "<br/>".join(escape(line) for line in lines)


def render_letter(content: LetterContent) -> bytes:
    """The letter as PDF bytes: real text (searchable, readable by screen readers)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=content.title,
        author=content.letterhead[0] if content.letterhead else "",
        subject=f"{content.subject} ({content.reference})",
        creator="Activation Tracker",
        invariant=True,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=0.8 * inch,
        bottomMargin=0.9 * inch,
    )
    story = []
    if content.letterhead:
        story.append(Paragraph(escape(content.letterhead[0]), LETTERHEAD))
        story.append(Paragraph(_lines(content.letterhead[1:]), LETTERHEAD_LINE))
    story += [
        Spacer(1, 0.3 * inch),
        Paragraph(escape(long_date(content.dated)), BODY),
        Paragraph(f"Reference: {escape(content.reference)}", BODY),
        Spacer(1, 0.2 * inch),
        Paragraph(_lines(content.recipient_lines), BODY),
        Spacer(1, 0.2 * inch),
        Paragraph(f"<b>{escape(content.subject)}</b>", BODY),
        Spacer(1, 0.15 * inch),
    ]
    for paragraph in content.body.strip().split("\n\n"):
        story.append(Paragraph(_lines(paragraph.splitlines()), BODY))
        story.append(Spacer(1, 0.12 * inch))
    if content.copies:
        story.append(Spacer(1, 0.1 * inch))
        story.append(Paragraph("cc: " + escape("; ".join(content.copies)), BODY))
    document.build(story, canvasmaker=_numbered_canvas(content.reference, content.dated))
    return buffer.getvalue()
