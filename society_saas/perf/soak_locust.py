"""The soak's locust users: the public, logged-in members, secretariat staff and association staff.

Run by `society-saas soak` as `locust -f` in its own process (locust patches the standard library
with gevent, which the application process must never see). It reads the plan written by
soak_setup (SOAK_PLAN), paces every user so its requests (not its tasks) arrive as a Poisson process of SOAK_THROUGHPUT
a second (the total rate is bounded, and users do not fire in step), and writes every request's time and outcome to SOAK_SAMPLES.
A request counts as an error when the status is not the expected one, when a logged-in page lands on
the login form (the session was lost), or when the page lacks the text it must show.
"""
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, events, task

PLAN = json.load(open(os.environ["SOAK_PLAN"], encoding="utf-8"))
THROUGHPUT = float(os.environ.get("SOAK_THROUGHPUT", "0.5"))
COUNTS = dict(pair.split("=") for pair in os.environ.get("SOAK_USERS", "public=8,member=6,staff=4,console=2,signup=1").split(","))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SAMPLES: list = []
STARTED = time.time()
_serial = itertools.count()


def poisson_pace(rate: float):
    """A wait_time under which a user's requests start as a Poisson process of `rate` a second.

    Each start is the previous planned start plus one exponential gap per request the user sent since
    (a task that logs in or posts a form sends two), so the request rate holds whatever the pages take
    and however many requests a task makes; a user that fell behind starts its next task at once. A
    fixed pace (locust's constant_throughput) kept the users, spawned a few at a time, firing in step:
    every request of a run began in two 100 ms slots of each 2 s, up to 14 at once, which measured
    bursts the tool made and real visitors do not."""

    def wait(user) -> float:
        now = time.monotonic()
        sent = getattr(user, "sent", 0)
        gaps, user._paced = max(1, sent - getattr(user, "_paced", 0)), sent
        planned = getattr(user, "_next_start", None)
        if planned is None or planned < now - 1 / rate:
            planned = now  # the first task, or far behind: the schedule restarts from now
        user._next_start = planned + random.gammavariate(gaps, 1 / rate)  # the sum of `gaps` exponentials
        return max(0.0, user._next_start - now)

    return wait


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, context=None, **_kw):
    if context and "user" in context:
        context["user"].sent += 1
    SAMPLES.append((round(time.time() - STARTED, 3), name.split(":")[0], name, round(response_time, 2),
                    exception is None, None if exception is None else str(exception)[:200]))


@events.quitting.add_listener
def _dump(environment, **_kw):
    with open(os.environ["SOAK_SAMPLES"], "w", encoding="utf-8") as fh:
        json.dump({"started": STARTED, "samples": SAMPLES}, fh)


class Face(HttpUser):
    """A user of one face: gets pages and checks each is the page it asked for."""

    abstract = True
    wait_time = poisson_pace(THROUGHPUT)
    sent = 0  # requests this user sent, for its pace

    def context(self) -> dict:
        """Each request event names its user, so the pace counts requests rather than tasks."""
        return {"user": self}

    def page(self, url: str, name: str, must: str | None = None, status: int = 200):
        """GET url; an error unless it answers `status` with `must` in the body and no login form."""
        with self.client.get(url, name=name, catch_response=True, allow_redirects=status == 200) as r:
            if r.status_code != status:
                r.failure(f"status {r.status_code}")
            elif status == 200 and self.logged_in and "/login" in r.url:
                r.failure("landed on the login form")
            elif must and must not in r.text:
                r.failure(f"{must!r} missing")
            else:
                r.success()
            return r

    logged_in = False

    def login(self, email: str, password: str) -> None:
        """Log in through the real form (the CSRF token from the login page)."""
        token = CSRF.search(self.client.get("/login", name="login: form").text).group(1)
        with self.client.post("/login", name="login: submit", catch_response=True,
                              data={"identifier": email, "password": password, "csrf_token": token}) as r:
            if r.status_code != 200 or "/login" in r.url:
                r.failure(f"login failed: {r.status_code} {r.url}")
            else:
                self.logged_in = True
                r.success()


class PublicUser(Face):
    """Anonymous: the home page, society pages, the login form and the application form (and a bad one)."""

    fixed_count = int(COUNTS.get("public", 0))

    @task(8)
    def society_page(self):
        self.page(f"/s/{random.choice(PLAN['public']['slugs'])}/", "public: society page")

    @task(4)
    def home(self):
        self.page("/", "public: home")

    @task(4)
    def apply_form(self):
        self.page(f"/s/{random.choice(PLAN['public']['slugs'])}/apply/", "public: apply form", must="csrf_token")

    @task(2)
    def login_form(self):
        self.page("/login", "public: login form", must="csrf_token")

    @task(2)
    def health(self):
        self.page("/healthz", "public: healthz", must='"ok"')

    @task(1)
    def apply_invalid(self):
        """A form with the name missing: the page again with the field's message, nothing stored."""
        slug = PLAN["public"]["apply_slug"]
        token = CSRF.search(self.client.get(f"/s/{slug}/apply/", name="public: apply form").text).group(1)
        with self.client.post(f"/s/{slug}/apply/", name="public: apply (invalid)", catch_response=True,
                              data={"csrf_token": token, "class_code": PLAN["public"]["class_codes"][0]}) as r:
            r.success() if r.status_code == 200 and "csrf_token" in r.text else r.failure(f"status {r.status_code}")

class SignupUser(Face):
    """A newcomer applying to join: a new account (argon2, on purpose slow) and an application.
    Rare next to page views, as on a real site: one every SIGNUP_EVERY seconds."""

    fixed_count = int(COUNTS.get("signup", 0))
    wait_time = poisson_pace(2 / float(os.environ.get("SOAK_SIGNUP_EVERY", "30")))  # two requests an application

    @task
    def apply_valid(self):
        """A real application with a new account (argon2 and all), then log out as a new visitor would."""
        slug = PLAN["public"]["apply_slug"]
        token = CSRF.search(self.client.get(f"/s/{slug}/apply/", name="public: apply form").text).group(1)
        n = f"{os.getpid()}{next(_serial):06d}{random.randrange(1000):03d}"
        data = {"csrf_token": token, "class_code": PLAN["public"]["class_codes"][0], "name": "压测申请人",
                "gender": "female", "birth_date": "1988-04-12", "id_type": "resident_id", "nationality": "mainland",
                "email": f"soak-applicant-{n}@soak.example", "password": "soak-Apply-2024", "work_unit": "示例大学"}
        with self.client.post(f"/s/{slug}/apply/", name="signup: apply (valid)", catch_response=True, data=data) as r:
            if r.status_code == 200 and "/apply/status" in r.url:
                r.success()
            else:
                r.failure(f"not received: {r.status_code} {r.url}")
        self.client.cookies.clear()


class MemberUser(Face):
    """A member on the portal: start page, dues, profile, requests."""

    fixed_count = int(COUNTS.get("member", 0))

    def on_start(self):
        self.me = random.choice(PLAN["members"])
        self.login(self.me["email"], self.me.get("password", PLAN["password"]))

    @task(4)
    def portal(self):
        self.page(f"/s/{self.me['slug']}/me/", "member: portal")

    @task(2)
    def dues(self):
        self.page(f"/s/{self.me['slug']}/me/dues/", "member: dues")

    @task(2)
    def profile(self):
        self.page(f"/s/{self.me['slug']}/me/profile/", "member: profile")

    @task(1)
    def requests(self):
        self.page(f"/s/{self.me['slug']}/me/requests/", "member: requests")


LEDGER = ("status=active&class_code=regular&sort=name", "status=active&front_line=1&sort=join_date",
          "status=grace&sort=name", "young=1&sort=number", "sort=name")


class StaffUser(Face):
    """Secretariat staff of the largest society: the ledger (filters, search, records), dues, decisions."""

    fixed_count = int(COUNTS.get("staff", 0))

    def on_start(self):
        self.slug = PLAN["staff"]["slug"]
        self.login(PLAN["staff"]["email"], PLAN["password"])

    @task(6)
    def ledger(self):
        page = random.choice((1, 1, 2, 5))
        self.page(f"/s/{self.slug}/admin/members/?{random.choice(LEDGER)}&page={page}", "staff: ledger page")

    @task(2)
    def search(self):
        q = random.choice(("王", "李", "示例大学", "M0012", "高新区"))
        self.page(f"/s/{self.slug}/admin/members/?q={q}&sort=number", "staff: ledger search")

    @task(3)
    def record(self):
        self.page(f"/s/{self.slug}/admin/members/{random.choice(PLAN['staff']['member_ids'])}", "staff: member record")

    @task(1)
    def home(self):
        self.page(f"/s/{self.slug}/admin/", "staff: secretariat home")

    @task(1)
    def dues(self):
        self.page(f"/s/{self.slug}/admin/dues/", "staff: dues")

    @task(1)
    def invoices(self):
        self.page(f"/s/{self.slug}/admin/dues/invoices?state=open", "staff: invoices")

    @task(1)
    def decisions(self):
        self.page(f"/s/{self.slug}/admin/decisions/", "staff: decisions")


class ConsoleUser(Face):
    """Association staff on the console: the overview, a society, renewals, filings, decisions."""

    fixed_count = int(COUNTS.get("console", 0))

    def on_start(self):
        self.login(PLAN["console"]["email"], PLAN["password"])

    @task(3)
    def overview(self):
        self.page("/association/", "console: overview")

    @task(2)
    def society(self):
        self.page(f"/association/societies/{random.choice(PLAN['console']['society_ids'])}", "console: society")

    @task(1)
    def renewals(self):
        self.page("/association/renewals/", "console: renewals")

    @task(1)
    def filings(self):
        self.page("/association/filings/", "console: filings")

    @task(1)
    def decisions(self):
        self.page("/association/decisions/", "console: decision reports")
