"""The package as users get it: a wheel built from the checkout with ``python -m build``,
installed into a virtualenv of its own (nothing from the checkout on its path).

Both live under the system temp directory and are reused. The wheel and sdist are built from a
copy of the checkout's files and keyed by those files' content (a change rebuilds them). The
venv is keyed by the wheel's dependencies (a new dependency gets a new venv), and the wheel
itself is reinstalled (``--no-deps``) whenever its hash differs from the one installed. xdist
workers take a file lock around all of it.
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(tempfile.gettempdir()) / "okta-aws-harness-wheel"


def _tracked_files() -> list[str]:
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return [p for p in done.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


def _source_key(files: list[str]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + (ROOT / rel).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def built_wheel() -> Path:
    """The wheel of the checkout as it is now (built when its files changed)."""
    files = _tracked_files()
    out = CACHE / f"build-{_source_key(files)}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wheels = list((out / "dist").glob("okta_aws_harness-*.whl"))
        if wheels:
            return wheels[0]
        for old in CACHE.glob("build-*"):
            shutil.rmtree(old, ignore_errors=True)
        return build_wheel(out, files)


def build_wheel(out: Path, files: list[str]) -> Path:
    """``python -m build`` (sdist, then the wheel from the sdist) on a copy of ``files`` (the
    checkout's tracked and new files, no ignored ones: no .venv, no node_modules)."""
    source = out / "src"
    for rel in files:
        target = source / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out / "dist"), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"python -m build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    wheels = list((out / "dist").glob("okta_aws_harness-*.whl"))
    assert len(wheels) == 1 and list((out / "dist").glob("okta_aws_harness-*.tar.gz")), list((out / "dist").iterdir())
    return wheels[0]


def _requirements(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(name).decode()
    return "\n".join(line for line in metadata.splitlines() if line.startswith(("Requires-Dist:", "Requires-Python:")))


def clean_env(**extra) -> dict:
    """The environment with nothing pointing back at the checkout or its venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP") and not k.startswith("PYTEST_")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(ROOT)))
    env.update(extra)
    return env


class WheelVenv:
    def __init__(self, path: Path, wheel: Path) -> None:
        self.path, self.wheel = path, wheel
        self.bin = path / "bin"

    def env(self, **extra) -> dict:
        env = clean_env(**extra)
        env["PATH"] = f"{self.bin}{os.pathsep}{env['PATH']}"
        env["VIRTUAL_ENV"] = str(self.path)
        return env

    def run(self, *argv: str, cwd: Path, timeout: int = 300, env: dict | None = None):
        return subprocess.run([*argv], cwd=cwd, env=env or self.env(), capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)


def install(wheel: Path) -> WheelVenv:
    requirements = _requirements(wheel)
    key = hashlib.sha256(f"{sys.version_info[:2]}\n{requirements}".encode()).hexdigest()[:16]
    venv = CACHE / f"venv-{key}"
    python = venv / "bin" / "python"
    wheel_hash = hashlib.sha256(wheel.read_bytes()).hexdigest()
    stamp = venv / ".wheel-sha256"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        if not (venv / ".deps-installed").exists():
            for old in CACHE.glob("venv-*"):          # one venv at a time: the old dependencies' go
                shutil.rmtree(old, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120, env=clean_env())
            done = subprocess.run([*pip, str(wheel)], capture_output=True, text=True, timeout=900, env=clean_env())
            assert done.returncode == 0, f"pip install {wheel.name} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            (venv / ".deps-installed").write_text(requirements)
            stamp.write_text(wheel_hash)
        elif not stamp.exists() or stamp.read_text() != wheel_hash:
            done = subprocess.run([*pip, "--no-deps", "--force-reinstall", str(wheel)], capture_output=True,
                                  text=True, timeout=300, env=clean_env())
            assert done.returncode == 0, f"pip install {wheel.name} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            stamp.write_text(wheel_hash)
    return WheelVenv(venv, wheel)


@pytest.fixture(scope="session")
def wheel_venv() -> WheelVenv:
    """A venv with only the built wheel (and its dependencies from the package index)."""
    return install(built_wheel())


def harness_main():
    """The ``harness`` command's ``main`` as the installed package declares it (its console-script
    entry point), wherever the CLI module lives."""
    (entry,) = importlib.metadata.entry_points(group="console_scripts", name="harness")
    return entry.load()


HARNESS_COMMAND = str(Path(sys.executable).with_name("harness"))
