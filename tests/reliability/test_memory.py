"""Password hashing does not leave workers bigger: argon2's 19 MiB blocks are given back when freed."""
import subprocess
import sys

import pytest

from society_saas.core.memory import return_large_allocations

PROGRAM = """
import os, sys, threading
from society_saas.core.memory import return_large_allocations
if sys.argv[1] == "set":
    assert return_large_allocations()
from society_saas.accounts.passwords import hash_password

def rss_mb():
    return int(open(f"/proc/{os.getpid()}/statm").read().split()[1]) * 4096 / 2**20

def hash_in_four_threads():
    threads = [threading.Thread(target=hash_password, args=("a password",)) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]

hash_in_four_threads()  # the first blocks, as a worker's warm-up would
before = rss_mb()
for _ in range(3):
    hash_in_four_threads()
print(round(rss_mb() - before, 1))
"""


def _growth_mb(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, timeout=120, check=True)
    return float(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux") or not return_large_allocations(),
                    reason="glibc's mallopt and /proc are Linux's")
def test_threads_hashing_passwords_do_not_keep_their_memory():
    # without the setting each thread's arena keeps a 19 MiB block after the first round (the control)
    assert _growth_mb("default") >= 19
    assert _growth_mb("set") < 5
