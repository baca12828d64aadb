"""The assessment report of one society as a Chinese PDF (WeasyPrint, Noto Sans CJK SC)."""
from flask import render_template, request

from society_saas.oversight import assessment


def society_report_pdf(scheme, society, result) -> bytes:
    """Render a society's breakdown, total, grade and rank for a year as PDF bytes."""
    from weasyprint import HTML

    html = render_template("oversight/report_pdf.html", scheme=scheme, society=society, result=result,
                           grades=assessment.GRADE_LABELS, types=assessment.TYPE_LABELS)
    return HTML(string=html, base_url=request.url_root).write_pdf()
