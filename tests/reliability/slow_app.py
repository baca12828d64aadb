"""The application with one extra, slow page, served by gunicorn in the graceful-shutdown test."""
import os
import time
from pathlib import Path

from society_saas import create_app

app = create_app()


@app.get("/_test/slow")
def slow():
    """Note that the request started, take a few seconds, answer."""
    Path(os.environ["SLOW_MARK"]).write_text("started")
    time.sleep(float(os.environ.get("SLOW_SECONDS", "3")))
    return "finished"
