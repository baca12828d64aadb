"""locust clients for the bench's `portal_rps`: GET one path, as a logged-in member or not, with no pause
(BENCH_THROUGHPUT unset) or paced to that many requests a second each.

Run by bench_http in its own process (locust patches the standard library with gevent). BENCH_PATH is
the page, BENCH_COOKIE the session cookie of a logged-in member (or empty for the bare route); every
request's time and outcome goes to BENCH_SAMPLES. A page that redirects (to the login form) is an error.
"""
import json
import os
import random
import time

from locust import FastHttpUser, constant, events, task

PATH = os.environ["BENCH_PATH"]
THROUGHPUT = float(os.environ.get("BENCH_THROUGHPUT") or 0)
HEADERS = {"Cookie": os.environ["BENCH_COOKIE"]} if os.environ.get("BENCH_COOKIE") else {}
SAMPLES: list = []
STARTED = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    SAMPLES.append((round(time.time() - STARTED, 3), round(response_time, 2), exception is None))


@events.quitting.add_listener
def _dump(environment, **_kw):
    with open(os.environ["BENCH_SAMPLES"], "w", encoding="utf-8") as fh:
        json.dump(SAMPLES, fh)


def _poisson(_user) -> float:
    """A pause drawn so that each client's requests arrive as a Poisson process of THROUGHPUT a second.

    A fixed pace (constant_throughput) keeps the 50 clients, spawned together, firing together: bursts of
    50 at once every few seconds, which measures the burst, not the rate."""
    return random.expovariate(THROUGHPUT)


class Client(FastHttpUser):
    """One client: the same page again and again, with no think time or paced at random."""

    wait_time = _poisson if THROUGHPUT else constant(0)

    @task
    def page(self):
        with self.client.get(PATH, headers=HEADERS, allow_redirects=False, catch_response=True) as r:
            r.success() if r.status_code == 200 else r.failure(f"status {r.status_code}")
