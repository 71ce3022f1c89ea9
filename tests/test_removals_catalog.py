"""Policy catalogs: the shipped five load; a City's own file is validated with every problem's
location, including the rules JSON Schema cannot express; the config names the catalog."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

from archiver.config import City, Settings
from archiver.errors import ConfigError, NotFound, ValidationFailed
from archiver.lifecycle import init_archive
from archiver.removals.catalog import city_catalog, load_catalog, load_catalog_file, shipped_ids
from tests.conftest import actor


def norwalk_text() -> str:
    return resources.files("archiver").joinpath("catalogs", "norwalk.toml").read_text("utf-8")


def test_shipped_catalogs_load() -> None:
    assert shipped_ids() == ["carson", "claremont", "norwalk", "policy702", "torrance"]
    norwalk = load_catalog("norwalk")
    assert norwalk.blocking.min_violations == 2 and norwalk.blocking.permitted
    spam = norwalk.ground("spam")
    assert spam is not None and not spam.permits_removal and spam.permits_blocking
    assert norwalk.retention.best_effort == ("poster_identity", "poster_username")
    assert not load_catalog("policy702").blocking.permitted
    carson = load_catalog("carson")
    assert carson.ground("defamatory") is not None and carson.ground("post_personal_info")
    assert all(g.permits_removal for g in carson.grounds)


def test_own_catalog_problems_are_all_reported_with_location(tmp_path: Path) -> None:
    text = norwalk_text()
    # a duplicate code, a best_effort term not required, and a schema error, all at once
    text = text.replace('code = "defamatory"', 'code = "obscene"')
    text = text.replace(
        'best_effort = ["poster_identity", "poster_username"]',
        'best_effort = ["poster_identity", "reason"]',
    )
    text = text.replace('applies_to = "public_comments"', 'applies_to = "everyone"')
    path = tmp_path / "ours.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_catalog_file(path)
    where = {p.where: p.what for p in caught.value.problems}
    grounds = tomllib.loads(text)["grounds"]
    dup = next(i for i, g in enumerate(grounds) if g["code"] == "obscene" and i > 6)
    first = next(i for i, g in enumerate(grounds) if g["code"] == "obscene")
    assert f"already the code of grounds[{first}]" in where[f"grounds[{dup}].code"]
    assert "not in retention.requires" in where["retention.best_effort[1]"]
    spam = len(grounds) - 1
    assert "'everyone' is not one of" in where[f"grounds[{spam}].applies_to"]
    assert str(path) in str(caught.value)


def test_catalog_that_blocks_when_policy_does_not_is_refused(tmp_path: Path) -> None:
    text = resources.files("archiver").joinpath("catalogs", "policy702.toml").read_text("utf-8")
    text = text.replace("permits_blocking = false", "permits_blocking = true", 1)
    path = tmp_path / "702.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_catalog_file(path)
    assert [p.where for p in caught.value.problems] == ["grounds[0].permits_blocking"]


def test_config_names_the_catalog(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="policy_catalog"):
        city_catalog(settings)
    carson = replace(settings, city=City(name="Rancho Verde", policy_catalog="carson"))
    assert city_catalog(carson).id == "carson"
    own = tmp_path / "cfg" / "our-policy.toml"
    own.parent.mkdir()
    own.write_text(norwalk_text().replace('id = "norwalk"', 'id = "rancho-verde"'), "utf-8")
    config = own.parent / "archiver.toml"
    config.write_text("")
    relative = replace(
        settings,
        config_path=config,
        city=City(name="Rancho Verde", policy_catalog="our-policy.toml"),
    )
    assert city_catalog(relative).id == "rancho-verde"
    missing = replace(settings, city=City(name="Rancho Verde", policy_catalog="nope"))
    with pytest.raises(NotFound, match="carson, claremont"):
        city_catalog(missing)


def test_init_checks_the_catalog_before_creating_anything(settings: Settings) -> None:
    """A wrong catalog is found by whoever sets the archive up (`archiver init`), with every
    problem listed, before any folder or database exists; a right one is named in the result."""
    missing = replace(settings, city=City(name="Rancho Verde", policy_catalog="nope.toml"))
    with pytest.raises(NotFound, match=r"nope\.toml"):
        init_archive(missing, actor("admin"))
    assert not settings.root.exists()

    broken = settings.root.parent / "broken-policy.toml"
    broken.write_text(norwalk_text().replace('code = "defamatory"', 'code = "obscene"'), "utf-8")
    malformed = replace(
        settings, city=City(name="Rancho Verde", policy_catalog=str(broken.resolve()))
    )
    with pytest.raises(ValidationFailed) as raised:
        init_archive(malformed, actor("admin"))
    assert "obscene" in str(raised.value)
    assert not settings.root.exists()

    carson = replace(settings, city=City(name="Rancho Verde", policy_catalog="carson"))
    assert init_archive(carson, actor("admin")).policy_catalog.startswith("carson (")
    assert settings.root.is_dir()
