from pathlib import Path

import pytest

from archiver.config import load_settings
from archiver.errors import ConfigError, ValidationFailed


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "archiver.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_embedded_defaults_need_no_file(tmp_path: Path) -> None:
    settings = load_settings(None, {}, tmp_path)
    assert settings.config_path is None
    assert settings.root == (tmp_path / "archive").resolve()
    assert settings.database_url == f"sqlite:///{settings.root / 'archiver.sqlite3'}"
    assert settings.single_user


def test_found_in_working_directory_and_paths_relative_to_file(tmp_path: Path) -> None:
    write(tmp_path, '[archive]\nroot = "store"\n[city]\nname = "City of X"\n')
    settings = load_settings(None, {}, tmp_path)
    assert settings.root == (tmp_path / "store").resolve()
    assert settings.city.name == "City of X"


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[archive]\ndatabase_url = "sqlite:///a.db"\n')
    env = {"ARCHIVER_CONFIG": str(path), "ARCHIVER_DATABASE_URL": "postgresql://u@h/db"}
    assert load_settings(None, env, Path("/")).database_url == "postgresql://u@h/db"


def test_every_problem_reported_with_its_location(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[archive]
warc_max_size_mb = 0
colour = "blue"

[[users]]
login = "ann"
roles = ["clerk", "janitor"]

[[accounts]]
platform = "facebook"
handle = "A"
[[accounts]]
platform = "x"
handle = "B"
[[accounts]]
platform = "facebok"
handle = "C"
approved_on = "not a date"
""",
    )
    with pytest.raises(ValidationFailed) as caught:
        load_settings(path, {}, tmp_path)
    where = {p.where: p.what for p in caught.value.problems}
    assert "accounts[2].platform" in where
    assert "'facebok' is not one of" in where["accounts[2].platform"]
    assert "accounts[2].approved_on" in where
    assert "users[0].roles[1]" in where
    assert "archive.warc_max_size_mb" in where
    assert any("colour" in what for what in where.values())
    assert len(caught.value.problems) == 5
    assert "5 problems" in str(caught.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[city]\nname = \n")
    with pytest.raises(ValidationFailed, match="line 2"):
        load_settings(path, {}, tmp_path)


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", {}, tmp_path)
    with pytest.raises(ConfigError, match="ARCHIVER_CONFIG"):
        load_settings(None, {"ARCHIVER_CONFIG": str(tmp_path / "nope.toml")}, tmp_path)


def test_sample_config_is_valid() -> None:
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "archiver.toml"
    settings = load_settings(sample, {}, sample.parent)
    assert len(settings.accounts) >= 5
    assert {u.login for u in settings.users} >= {"clerk", "records", "attorney", "social"}
