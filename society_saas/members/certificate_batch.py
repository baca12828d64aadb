"""Printing the certificates of a whole list of members as a job: batches rendered on every core, one PDF to print.

A secretariat prints certificates by the hundred (new members of the year, a class, a region). WeasyPrint
lays out pages on one core, so the job hands batches to a pool of processes, one per core, and joins their
PDFs in order. The parent renders each batch's HTML (templates, translations and links need the app); the
processes only turn HTML into PDF, so they never touch the database.
"""
import io
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from society_saas.core import jobs, storage
from society_saas.core.audit import log_event
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.members.services.common import today_cn
from society_saas.members.services.records import ledger_query

KIND = "members.certificates"
BATCH = 100  # certificates per WeasyPrint document: the font subset is made once per batch
# One print job; a larger list is narrowed by class, region or status first. Run inline (JOBS_RUN_INLINE), a job
# must end within gunicorn's 60 s timeout: 3,000 pages take ~45 s at the slowest rate measured on two cores.
MAX_CERTIFICATES = 3000


def current_members(filters: dict):
    """The ledger's select for these filters, keeping only the members whose membership is current."""
    return ledger_query(filters).where(Member.status.in_((MemberStatus.active, MemberStatus.grace)),
                                       or_(Member.valid_until.is_(None), Member.valid_until >= today_cn()))


def count_current(filters: dict) -> int:
    """How many current members the ledger lists for these filters: how many certificates a print job makes."""
    return db.session.scalar(select(func.count()).select_from(current_members(filters).order_by(None).subquery()))


def enqueue_certificates(society, actor, filters: dict) -> jobs.Job:
    """Queue the printing of the current members among those the ledger lists for these filters (flushed)."""
    kept = {key: value for key, value in filters.items() if value}
    count = count_current(kept)
    if count == 0:
        raise ServiceError(_("None of the members listed is a current member: there is no certificate to print."))
    if count > MAX_CERTIFICATES:
        raise ServiceError(_("One print job takes at most %(max)d certificates and %(n)d current members are "
                             "listed; narrow the list by class, region or status.", max=MAX_CERTIFICATES, n=count))
    return jobs.enqueue(society, actor, KIND, {"filters": kept, "count": count})


def _forget_parent_connections(engine) -> None:
    engine.dispose(close=False)  # SQLAlchemy's advice after fork: a new pool, the parent's sockets left alone


def join_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of several, their pages in order."""
    import pikepdf  # qpdf: joins a thousand pages in a tenth of a second, where pure-Python pypdf takes a second

    joined = pikepdf.new()
    for part in parts:
        joined.pages.extend(pikepdf.open(io.BytesIO(part)).pages)
    out = io.BytesIO()
    joined.save(out)
    return out.getvalue()


def processes() -> int:
    """How many processes lay out certificates: CERTIFICATE_PROCESSES, else one per core this process may use."""
    return int(current_app.config.get("CERTIFICATE_PROCESSES") or len(os.sched_getaffinity(0)) or 1)


def render_certificates(society, members: list[Member], on_batch=None) -> bytes:
    """The members' certificates as one PDF, a page each, batches laid out in parallel; `on_batch(done, total)`
    is called as batches finish, in order."""
    from society_saas.members.certificate import certificates_html, html_to_pdf

    # every batch's HTML first: progress commits, and members read after a commit would be loaded again one by one
    pages = [certificates_html(society, members[start:start + BATCH]) for start in range(0, len(members), BATCH)]
    workers = min(processes(), len(pages))
    parts: list[bytes] = []

    def finished(part: bytes) -> None:
        parts.append(part)
        if on_batch:
            on_batch(len(parts), len(pages))

    if workers <= 1:
        for html in pages:
            finished(html_to_pdf(html))
    else:
        # fork: the processes start at once, with WeasyPrint and its fonts already loaded
        with ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_forget_parent_connections,
                                 initargs=(db.engine,)) as pool:
            for future in [pool.submit(html_to_pdf, html) for html in pages]:
                finished(future.result())
    return parts[0] if len(parts) == 1 else join_pdfs(parts)


@jobs.handler(KIND)
def print_certificates(society, job) -> dict:
    """The job: lay out the listed current members' certificates and keep the PDF for download."""
    from society_saas.accounts.models import User

    members = list(db.session.scalars(current_members(job.params.get("filters") or {})))
    if not members:
        raise ServiceError(_("None of the members listed is a current member: there is no certificate to print."))
    pdf = render_certificates(society, members, lambda done, total: jobs.set_progress(job, 95 * done // total))
    key = storage.save_generated(society.id, pdf, "pdf")
    actor = db.session.get(User, job.requested_by) if job.requested_by else None
    log_event(society.id, actor, "certificates_printed", "job", job.id,
              after={"count": len(members), "filters": job.params.get("filters") or {}})
    return {"file": key, "count": len(members)}
