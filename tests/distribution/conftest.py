"""The package as users get it: a wheel built from the checkout with ``python -m build``,
installed into a virtualenv of its own (nothing from the checkout on its path).

* The wheel and sdist are built from a copy of the checkout's files (tracked and new, nothing
  git ignores) and cached under the system temp directory, keyed by those files' content: a
  change rebuilds them, an unchanged checkout reuses them.
* The wheel's dependencies are installed once into a shared venv keyed by the wheel's
  ``Requires-Dist`` (a new dependency gets a new one). It never holds the wheel and is never
  changed after it is complete, so test runs of other checkouts can share it.
* Each test process gets a fresh venv of its own with only the wheel installed
  (``pip install --no-deps``) and a ``.pth`` line that puts the shared dependencies on its
  path: what ``pip install okta_aws_harness-*.whl`` makes, without a pip download per run.
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(tempfile.gettempdir()) / "okta-aws-harness-dist"
STALE_AFTER_S = 24 * 3600


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


class _Lock:
    def __enter__(self):
        CACHE.mkdir(parents=True, exist_ok=True)
        self.fh = open(CACHE / ".lock", "w")
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        self.fh.close()


def _drop_stale(pattern: str, keep: Path) -> None:
    """Remove cache entries nobody has used for a day (other checkouts may still use newer ones)."""
    for old in CACHE.glob(pattern):
        if old != keep and time.time() - old.stat().st_mtime > STALE_AFTER_S:
            shutil.rmtree(old, ignore_errors=True)


def built_wheel() -> Path:
    """The wheel of the checkout as it is now (built when its files changed)."""
    files = _tracked_files()
    out = CACHE / f"build-{_source_key(files)}"
    with _Lock():
        wheels = list((out / "dist").glob("okta_aws_harness-*.whl"))
        if not wheels:
            shutil.rmtree(out, ignore_errors=True)
            wheels = [build_wheel(out, files)]
        os.utime(out)
        _drop_stale("build-*", out)
        return wheels[0]


def build_wheel(out: Path, files: list[str]) -> Path:
    """``python -m build`` (sdist, then the wheel from the sdist) on a copy of ``files``."""
    source = out / "src"
    for rel in files:
        target = source / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out / "dist"), str(source)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"python -m build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    wheels = list((out / "dist").glob("okta_aws_harness-*.whl"))
    assert len(wheels) == 1 and list((out / "dist").glob("okta_aws_harness-*.tar.gz")), list((out / "dist").iterdir())
    return wheels[0]


def _requirements(wheel: Path) -> list[str]:
    """The wheel's own dependencies (``Requires-Dist`` without an extra)."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(name).decode()
    return [line.split(":", 1)[1].strip() for line in metadata.splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line]


def clean_env(**extra) -> dict:
    """The environment with nothing pointing back at the checkout or its venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP") and not k.startswith("PYTEST_")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(ROOT)))
    env.update(extra)
    return env


def _site_packages(venv: Path) -> Path:
    relative = sysconfig.get_path("purelib", vars={"base": ".", "platbase": "."})
    return venv / relative


def dependencies_venv(wheel: Path) -> Path:
    """The shared venv with the wheel's dependencies (created once per dependency set)."""
    requirements = _requirements(wheel)
    key = hashlib.sha256("\n".join([str(sys.version_info[:2]), *sorted(requirements)]).encode()).hexdigest()[:16]
    venv = CACHE / f"deps-{key}"
    with _Lock():
        if not (venv / ".complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300, env=clean_env())
            done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                                   "--disable-pip-version-check", *requirements],
                                  capture_output=True, text=True, timeout=1800, env=clean_env())
            assert done.returncode == 0, f"pip install of the wheel's dependencies failed:\n{done.stderr[-3000:]}"
            (venv / ".complete").write_text("\n".join(requirements))
        os.utime(venv)
        _drop_stale("deps-*", venv)
    return venv


class WheelVenv:
    """A venv with only the wheel installed (its dependencies on the path through a .pth)."""

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


def install(wheel: Path, where: Path) -> WheelVenv:
    deps = dependencies_venv(wheel)
    own_wheel = where / wheel.name              # the cached build may be replaced; this copy stays
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, own_wheel)
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120,
                   env=clean_env())
    (_site_packages(venv) / "_okta_aws_harness_dependencies.pth").write_text(f"{_site_packages(deps)}\n")
    done = subprocess.run([str(deps / "bin" / "python"), "-m", "pip", "--python", str(venv / "bin" / "python"),
                           "install", "-q", "--disable-pip-version-check", "--no-deps", "--no-index", str(own_wheel)],
                          capture_output=True, text=True, timeout=300, env=clean_env())
    assert done.returncode == 0, f"pip install {wheel.name} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return WheelVenv(venv, own_wheel)


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory) -> WheelVenv:
    """A venv with only the built wheel, for this test process."""
    return install(built_wheel(), tmp_path_factory.mktemp("wheel"))


def harness_main():
    """The ``harness`` command's ``main`` as the installed package declares it (its console-script
    entry point), wherever the CLI module lives."""
    (entry,) = importlib.metadata.entry_points(group="console_scripts", name="harness")
    return entry.load()


HARNESS_COMMAND = str(Path(sys.executable).with_name("harness"))
