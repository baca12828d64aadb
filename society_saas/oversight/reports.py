"""The assessment report of one society as a Chinese PDF (WeasyPrint, Noto Sans CJK SC)."""
from flask import render_template, request

from society_saas.oversight import assessment, scoring


def society_report_pdf(scheme, society, result) -> bytes:
    """Render a society's breakdown, total, grade and rank for a year as PDF bytes."""
    from weasyprint import HTML

    html = render_template("oversight/report_pdf.html", scheme=scheme, society=society, result=result,
                           grades=scoring.GRADE_LABELS, types=assessment.TYPE_LABELS)
    return HTML(string=html, base_url=request.url_root).write_pdf()


def summary_pdf(scheme, rows) -> bytes:
    """The association's summary of a finalised year: grade counts, the ranking, the mean points per indicator."""
    from weasyprint import HTML

    grades = {g: sum(1 for r, _s in rows if r.grade == g) for g in scoring.GRADES}
    means: dict = {}
    for result, _society in rows:
        for line in result.breakdown:
            means.setdefault((line["code"], line["name"], line["weight"]), []).append(line["points"])
    indicators = [(code, name, weight, round(sum(p) / len(p), 2)) for (code, name, weight), p in means.items()]
    html = render_template("oversight/summary_pdf.html", scheme=scheme, rows=rows, grade_counts=grades,
                           grades=scoring.GRADE_LABELS, indicators=indicators)
    return HTML(string=html, base_url=request.url_root).write_pdf()
