import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TOKEN = "00harness-default-world-api-token-0000000000"


@pytest.fixture
def w(world):
    """The running default world with a cookie jar emptied before and after the test."""
    world.http.cookies.clear()
    yield world
    world.http.cookies.clear()


@pytest.fixture
def api(w):
    """``api(path, token=TOKEN, **params)`` → the GET response from the world's Okta org."""
    def get(path, token=TOKEN, **params):
        headers = {"Authorization": f"SSWS {token}"} if token else {}
        return w.http.get(w.world.okta.org_url + path, headers=headers, params=params, timeout=15)
    return get


# The okta SDK (PyPI ``okta``, Okta, Inc., github.com/okta/okta-sdk-python) in its own cached
# virtualenv beside the CLI tools', so its dependencies stay out of the project's environment.
SDK = ("okta", "3.4.6")
TOOLS_DIR = Path(tempfile.gettempdir()) / "okta-aws-harness-cli-tools"


def sdk_python() -> Path:
    venv = TOOLS_DIR / f"okta-sdk-{SDK[1]}"
    python = venv / "bin" / "python"
    if (venv / ".installed").exists():
        return python
    TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    with open(TOOLS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".installed").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
            done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                                   f"{SDK[0]}=={SDK[1]}"], capture_output=True, text=True, timeout=900)
            assert done.returncode == 0, f"pip install okta=={SDK[1]} failed:\n{done.stdout}{done.stderr}"
            (venv / ".installed").touch()
    return python


@pytest.fixture
def okta_sdk(w):
    """``okta_sdk()`` → what tests/okta_api/okta_sdk_client.py read from the world with the SDK."""
    def run():
        proxy = w.env()["HTTPS_PROXY"].rsplit("//", 1)[-1].rstrip("/")
        host, _, port = proxy.rpartition(":")
        done = subprocess.run([str(sdk_python()), str(Path(__file__).with_name("okta_sdk_client.py")),
                               w.world.okta.org_url, TOKEN, host, port], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "SSL_CERT_FILE": str(w.ca_file)})
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])
    return run
