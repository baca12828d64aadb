"""Printing the certificates of every current member the ledger lists: a preview of how many, a job laid out on
several processes, one PDF with a page each in the ledger's order, and nothing for another society."""
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from society_saas.core import job_outputs, storage
from society_saas.core.audit import AuditEvent
from society_saas.core.db import utcnow
from society_saas.core.jobs import Job, JobState
from society_saas.extensions import db
from society_saas.members import certificate_batch, services
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society
from tests.conftest import login
from tests.factories import two_societies
from tests.members.helpers import with_classes

NAMES = ("赵一", "钱二", "孙三", "李四", "周五", "吴六")


def _society_with_members(app):
    """Society A with six members: five current (one a fellow), one resigned, one past its validity."""
    data = two_societies()
    a, people = data["a"]
    b, people_b = data["b"]
    with_classes(a)
    with_classes(b)
    with app.test_request_context("/"), society_context(a.id):
        member, fellow = services.class_by_code("member"), services.class_by_code("fellow")
        for i, name in enumerate(NAMES):
            services.create_member(a, None, {"name": name, "mobile": f"1390000000{i}"}, fellow if i == 1 else member)
        services.create_member(a, None, {"name": "郑七", "mobile": "13900000007"}, member)
        services.resign(a, None, db.session.scalar(select(Member).where(Member.name == "吴六")))
        db.session.scalar(select(Member).where(Member.name == "郑七")).valid_until = date(2020, 12, 31)
        db.session.commit()
    with app.test_request_context("/"), society_context(b.id):
        services.create_member(b, None, {"name": "外会", "mobile": "13900000009"}, services.class_by_code("member"))
        db.session.commit()
    return a, people, people_b


def _hidden(page: str, name: str) -> str:
    match = re.search(r'name="%s" value="([^"]*)"' % name, page)
    assert match, name
    return match.group(1)


def _print(client, query: str = ""):
    """Open the preview for the ledger's filters and confirm it; the response of the confirmation."""
    page = client.get(f"/s/a/admin/members/certificates/print{query}").get_data(as_text=True)
    fields = {"csrf_token": _hidden(page, "csrf_token"), "once_token": _hidden(page, "once_token")}
    fields.update(dict(re.findall(r'<input type="hidden" name="(status|class_code|q|region|sort|front_line|young)" '
                                  r'value="([^"]*)"', page)))
    return page, client.post("/s/a/admin/members/certificates/print", data=fields)


def _pdf_text(tmp_path, data: bytes) -> tuple[str, str, str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    path = tmp_path / "certificates.pdf"
    path.write_bytes(data)
    run = lambda *cmd: subprocess.run([*cmd, str(path)] + (["-"] if cmd[0] == "pdftotext" else []),  # noqa: E731
                                      capture_output=True, text=True, check=True).stdout
    return run("pdfinfo"), run("pdftotext"), run("pdffonts")


def test_the_listed_current_members_certificates_are_printed_by_a_job_as_one_pdf(app, client, session, tmp_path,
                                                                                monkeypatch):
    a, people, _people_b = _society_with_members(app)
    # batches of two on two processes: the pages come back from the pool in the ledger's order
    monkeypatch.setattr(certificate_batch, "BATCH", 2)
    app.config["CERTIFICATE_PROCESSES"] = 2
    login(client, people["staff"].email)
    ledger = client.get("/s/a/admin/members/").get_data(as_text=True)
    assert "打印所列会员的证书" in ledger
    preview, response = _print(client)
    assert "当前有效会员 5 人" in preview and "打印 5 张证书" in preview
    assert "名册列出全部会员，未设筛选条件。" in preview
    assert response.status_code == 302 and "/certificates/jobs/" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "5 张证书已生成" in page and "下载证书（PDF）" in page
    pdf = client.get(re.search(r'href="([^"]+/certificates\.pdf)"', page).group(1))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    info, text, fonts = _pdf_text(tmp_path, pdf.data)
    assert re.search(r"Pages:\s+5\n", info), info
    assert [name for name in re.findall("|".join(NAMES + ("郑七", "外会")), text)] == list(NAMES[:5])
    assert "CS000001" in text and "CS000005" in text
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    with society_context(a.id):
        (job,) = db.session.scalars(select(Job)).all()
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificates_printed")).all()
    assert job.state == JobState.done and job.result["count"] == 5 and job.progress == 100
    assert event.actor_id == people["staff"].id and event.after == {"count": 5, "filters": {}}


def test_the_ledger_filters_choose_whose_certificates_are_printed(app, client, session, tmp_path):
    a, people, _people_b = _society_with_members(app)
    login(client, people["staff"].email)
    preview, response = _print(client, "?class_code=fellow")
    assert "当前有效会员 1 人" in preview and "名册所列会员的筛选条件：<strong>会员类别：会士</strong></p>" in preview
    page = client.get(response.location).get_data(as_text=True)
    _info, text, _fonts = _pdf_text(tmp_path, client.get(re.search(r'href="([^"]+\.pdf)"', page).group(1)).data)
    assert "钱二" in text and "赵一" not in text
    with society_context(a.id):
        assert db.session.scalar(select(Job)).params["filters"] == {"class_code": "fellow"}


def test_the_preview_spells_out_the_ledgers_filters_in_the_pages_language(app, client, session):
    _a, people, _people_b = _society_with_members(app)
    login(client, people["staff"].email)
    base = "/s/a/admin/members/certificates/print"
    page = client.get(base + "?class_code=fellow&front_line=1&q=钱&sort=name&status=active").get_data(as_text=True)
    assert ('名册所列会员的筛选条件：<strong>搜索：钱</strong>；<strong>状态：正常</strong>；<strong>会员类别：会士</strong>；'
            '<strong>一线科技工作者</strong>；<strong>排序：姓名</strong></p>') in page
    page = client.get(base + "?lang=en&young=1&region=北京").get_data(as_text=True)
    assert "The ledger lists the members by: <strong>Region: 北京</strong>; <strong>Under 45</strong></p>" in page


def test_nothing_to_print_or_too_much_is_refused_with_a_reason_and_no_job(app, client, session, monkeypatch):
    a, people, _people_b = _society_with_members(app)
    login(client, people["staff"].email)
    preview, response = _print(client, "?status=lapsed")
    assert "所列会员中没有当前有效会员" in preview and "disabled" in preview
    assert "所列会员中没有当前有效会员" in client.get(response.location).get_data(as_text=True)
    monkeypatch.setattr(certificate_batch, "MAX_CERTIFICATES", 4)
    preview, response = _print(client)
    assert "一次打印任务最多 4 张证书，当前所列有效会员 5 人" in preview
    assert "一次打印任务最多 4 张证书" in client.get(response.location).get_data(as_text=True)
    with society_context(a.id):
        assert db.session.scalars(select(Job)).all() == []


def test_a_print_job_is_its_societys_own(app, client, session):
    a, people, people_b = _society_with_members(app)
    login(client, people["staff"].email)
    _preview, response = _print(client)
    job_url = response.location.replace("http://localhost", "")
    job_id = job_url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True).startswith(
        '<div id="certificate-job"')
    client.post("/logout", data={"csrf_token": ""})
    login(client, people_b["staff"].email)
    assert client.get(f"/s/b/admin/members/certificates/jobs/{job_id}").status_code == 404
    assert client.get(f"/s/b/admin/members/certificates/jobs/{job_id}/certificates.pdf").status_code == 404
    assert client.get(f"/s/a/admin/members/certificates/jobs/{job_id}/certificates.pdf").status_code in (302, 403)
    client.post("/logout", data={"csrf_token": ""})
    login(client, people["member"].email)
    assert client.get(f"/s/a/admin/members/certificates/jobs/{job_id}/certificates.pdf").status_code in (302, 403)


def test_a_certificate_fetches_no_outside_resource(app):
    from society_saas.members.certificate import image_fetcher

    with pytest.raises(ValueError):
        image_fetcher().fetch("http://169.254.169.254/latest/meta-data")
    with pytest.raises(ValueError):
        image_fetcher().fetch("file:///etc/passwd")
    assert image_fetcher().fetch("qr:http://localhost/verify/x").headers.get_content_type() == "image/png"


def _finished_days_ago(society, job_id, days: int) -> None:
    with society_context(society.id):
        db.session.execute(update(Job).where(Job.id == job_id).values(finished_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def _old_job_with_file(society, days: int):
    """A finished print job of `society`, `days` old, whose PDF is on disk; its id and file."""
    with society_context(society.id):
        key = storage.save_generated(society.id, b"%PDF-1.7 old", "pdf")
        job = Job(society_id=society.id, kind=certificate_batch.KIND, state=JobState.done, progress=100,
                  params={"filters": {}, "count": 1}, result={"file": key, "count": 1})
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    _finished_days_ago(society, job_id, days)
    return job_id, storage.path_of(key)


def test_a_print_jobs_pdf_is_removed_after_its_days_and_its_page_says_so(app, client, session):
    a, people, _people_b = _society_with_members(app)
    b = db.session.scalar(select(Society).where(Society.slug == "b"))
    login(client, people["staff"].email)
    job_url = _print(client)[1].location
    with society_context(a.id):
        job_id, key = db.session.execute(select(Job.id, Job.result["file"].as_string())).one()
    pdf = storage.path_of(key)
    _b_job, b_pdf = _old_job_with_file(b, days=40)

    _finished_days_ago(a, job_id, 29)
    assert job_outputs.remove_expired(a.id) == 0 and pdf.is_file()
    _finished_days_ago(a, job_id, 31)
    assert job_outputs.remove_expired(a.id) == 1  # one society's sweep leaves the other's files alone
    assert not pdf.exists() and b_pdf.is_file()
    page = client.get(job_url).get_data(as_text=True)
    today = utcnow().date().isoformat()
    assert f"这 5 张证书的 PDF 已于 {today} 删除：打印任务的文件保留 30 天" in page
    assert "下载证书（PDF）" not in page
    assert client.get(job_url + "/certificates.pdf").status_code == 404
    with society_context(a.id):
        db.session.expire_all()
        assert db.session.get(Job, (a.id, job_id)).result == {"file": None, "count": 5, "removed_on": today}

    assert job_outputs.remove_expired() == 1 and not b_pdf.exists()  # the worker's sweep: every society
    assert job_outputs.remove_expired() == 0


def test_the_days_are_a_setting_and_starting_a_job_sweeps_its_society_without_a_worker(app, client, session):
    a, people, _people_b = _society_with_members(app)
    app.config["JOBS_OUTPUT_DAYS"] = 7
    week_old, week_old_pdf = _old_job_with_file(a, days=8)
    recent, recent_pdf = _old_job_with_file(a, days=6)
    login(client, people["staff"].email)
    assert _print(client)[1].status_code == 302  # the embedded mode runs the job in the request, then sweeps
    assert not week_old_pdf.exists() and recent_pdf.is_file()
    with society_context(a.id):
        jobs = {j.id: j for j in db.session.scalars(select(Job))}
    assert jobs[week_old].result["file"] is None and jobs[recent].result["file"] is not None
    new = next(j for j in jobs.values() if j.id not in (week_old, recent))
    assert storage.path_of(new.result["file"]).is_file()


def test_the_worker_sweeps_every_society_at_most_once_an_hour(app, session, monkeypatch):
    a, _people, _people_b = _society_with_members(app)
    monkeypatch.setattr(job_outputs, "_last_sweep", float("-inf"))
    _first, first_pdf = _old_job_with_file(a, days=31)
    assert job_outputs.sweep_now_and_then() == 1 and not first_pdf.exists()
    _second, second_pdf = _old_job_with_file(a, days=31)
    assert job_outputs.sweep_now_and_then() == 0 and second_pdf.is_file()  # within the hour
    monkeypatch.setattr(job_outputs, "_last_sweep", job_outputs._last_sweep - job_outputs.SWEEP_EVERY)
    assert job_outputs.sweep_now_and_then() == 1 and not second_pdf.exists()
