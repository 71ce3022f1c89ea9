"""A wheel installed non-editable into a fresh venv works completely and adds one import name."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from archiver.db import migrate
from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"archiver"}, top
    assert "archiver/migrations/env.py" in names
    assert any(n.startswith("archiver/migrations/versions/0001") for n in names)
    assert "archiver/schemas/config.schema.json" in names
    assert "archiver/cli/main.py" in names
    assert "archiver/requests/exemptions.toml" in names
    assert "archiver/requests/templates/determination_CPRA.txt" in names
    assert "archiver/requests/fonts/DejaVuSans.ttf" in names
    assert "archiver/requests/fonts/LICENSE.txt" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [sys.executable, "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # install the wheel's dependencies from this environment's site-packages (no network needed)
    subprocess.run(
        [py, "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    (env_dir / "lib").mkdir(exist_ok=True)
    pth = next((env_dir / "lib").glob("python3*/site-packages"))
    (pth / "deps.pth").write_text(site + "\n")
    work = tmp_path / "work"
    work.mkdir()
    archiver = env_dir / "bin" / "archiver"
    env = {"PATH": str(env_dir / "bin"), "HOME": str(tmp_path)}
    shown = subprocess.run(
        [py, "-c", "import archiver, archiver.cli.main; print(archiver.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in shown.stdout, shown.stderr
    init = subprocess.run([archiver, "init"], cwd=work, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stdout + init.stderr
    status = subprocess.run(
        [archiver, "status", "--json"], cwd=work, env=env, capture_output=True, text=True
    )
    head = migrate.head_revision("sqlite://")
    assert status.returncode == 0, status.stderr
    assert f'"schema_revision": "{head}"' in status.stdout, status.stdout
    bad = work / "archiver.toml"
    bad.write_text('[archive]\nwarc_max_size_mb = "big"\n')
    invalid = subprocess.run(
        [archiver, "status"], cwd=work, env=env, capture_output=True, text=True
    )
    assert invalid.returncode == 3 and "archive.warc_max_size_mb" in invalid.stderr
