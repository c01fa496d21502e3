from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from spfeed.config import EXAMPLE, Config, load, write_example
from spfeed.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spfeed.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load(env={})
    assert config == Config()
    assert config.source.location == "https://www.ilo.org/universal-social-protection-department"


def test_the_example_config_loads_and_matches_the_defaults(tmp_path):
    path = tmp_path / "spfeed.toml"
    write_example(path)
    assert path.read_text(encoding="utf-8") == EXAMPLE
    config = load(path, env={})
    defaults = Config()
    assert config.out_dir == defaults.out_dir and config.max_items == defaults.max_items
    assert config.schedule.every == timedelta(minutes=30)
    assert [s.name for s in config.sources] == ["en"]


def test_init_never_overwrites(tmp_path):
    path = write(tmp_path, "max_items = 3\n")
    with pytest.raises(ConfigError, match="already exists"):
        write_example(path)
    assert path.read_text(encoding="utf-8") == "max_items = 3\n"


def test_precedence_flags_over_env_over_file_over_defaults(tmp_path):
    path = write(tmp_path, 'out_dir = "from-file"\nmax_items = 7\npublic_url = "https://file.example/"\n')
    env = {"SPFEED_OUT_DIR": "from-env", "SPFEED_MAX_ITEMS": "9"}
    config = load(path, env=env, overrides={"out_dir": "from-flag", "max_items": None})
    assert config.out_dir == Path("from-flag")
    assert config.max_items == 9
    assert config.public_url == "https://file.example/"
    assert config.delay == Config().delay


def test_store_settings_from_file_and_environment(tmp_path):
    path = write(tmp_path, 'store = "/var/lib/spfeed/history.sqlite"\nretain_days = 365\n')
    config = load(path, env={"SPFEED_LOCK_TIMEOUT": "5"})
    assert config.store == Path("/var/lib/spfeed/history.sqlite")
    assert (config.retain_days, config.lock_timeout) == (365, 5.0)
    assert (Config().retain_days, Config().lock_timeout) == (None, 30.0)


def test_config_path_from_environment(tmp_path):
    path = write(tmp_path, "max_items = 4\n")
    assert load(env={"SPFEED_CONFIG": str(path)}).max_items == 4


def test_spfeed_toml_in_the_working_directory_is_read(tmp_path, monkeypatch):
    write(tmp_path, "max_items = 5\n")
    monkeypatch.chdir(tmp_path)
    assert load(env={}).max_items == 5


def test_several_sources(tmp_path):
    path = write(
        tmp_path,
        """
[[source]]
url = "https://www.ilo.org/universal-social-protection-department"
language = "en"
[[source]]
url = "https://www.ilo.org/fr/x"
language = "fr"
title = "OIT : actualités"
timezone = "Europe/Paris"
[[source]]
url = "fixtures/page.html"
name = "saved"
base_url = "https://www.ilo.org/es/x"
language = "es"
""",
    )
    config = load(path, env={})
    assert [(s.name, s.language, s.is_url) for s in config.sources] == [
        ("en", "en", True),
        ("fr", "fr", True),
        ("saved", "es", False),
    ]
    assert config.sources[1].timezone == "Europe/Paris"


def test_source_flag_replaces_configured_sources(tmp_path):
    path = write(
        tmp_path, '[[source]]\nurl = "https://a.example/"\n[[source]]\nurl = "https://b.example/"\nname = "b"\n'
    )
    config = load(path, env={}, overrides={"source": "page.html"})
    assert [s.location for s in config.sources] == ["page.html"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("outdir = 'x'", "unknown key 'outdir' (did you mean 'out_dir'?)"),
        ("max_items = 0", "'max_items' must be a whole number of at least 1"),
        ("max_items = 'many'", "'max_items' must be a whole number"),
        ("max_items = '²'", "'max_items' must be a whole number"),  # isdigit() but not int(): was a crash
        # Each was a traceback (found writing the config fuzz harness): urlsplit on an unclosed IPv6
        # host, timedelta or the clock overflowing.
        ("public_url = 'http://[::1'", "'public_url' must be an absolute http(s) URL"),
        ("[[source]]\nurl = 'http://[::1'\n[schedule]\nevery = '10s'", "'schedule.every' must be at least 1m"),
        ("[schedule]\nevery = '99999999999d'", "'schedule.every' must be at most a year"),
        ("[schedule]\njitter = inf", "'schedule.jitter' must be at most a year"),
        ("timeout = 1e12", "'timeout' must be a number of seconds (0 to 604800)"),
        ("delay = nan", "'delay' must be a number of seconds"),
        # RuntimeError from Path.expanduser (found by atheris after 7,026 runs of fuzz/fuzz_config.py).
        ("store = '~no-such-user-here/spfeed.sqlite'", "'store': no home directory for the user '~no-such-user-here'"),
        ("public_url = 'feeds.example.org'", "'public_url' must be an absolute http(s) URL"),
        ("delay = -1", "'delay' must be a number of seconds"),
        ("timeout = 'slow'", "'timeout' must be a number of seconds"),
        ("respect_robots = 'maybe'", "'respect_robots' must be true or false"),
        ("out_dir = ''", "'out_dir' must be a path"),
        ("contact = 3", "'contact' must be a non-empty string"),
        ("source = 'x'", "'source' must be one or more [[source]] tables"),
        ("[[source]]\nlanguage = 'en'", "source #1 needs 'url'"),
        ("[[source]]\nurl = 'x'\nlang = 'en'", "unknown key 'source.lang' (did you mean 'source.language'?)"),
        ("[[source]]\nurl = 'x'\ntimezone = 'Mars/Olympus'", "not a known time zone: 'Mars/Olympus'"),
        ("[[source]]\nurl = 'x'\ntimezone = 'Europe'", "not a known time zone: 'Europe'"),  # a folder: was a crash
        ("[[source]]\nurl = 'x'\nname = 'Has Space'", "'source.name' must be lower-case letters"),
        ("[[source]]\nurl = 'x'\nbase_url = 'nope'", "'source.base_url' must be an absolute http(s) URL"),
        ("[[source]]\nurl = 'a'\n[[source]]\nurl = 'b'\nname = 'main'", "two sources are named 'main'"),
        ("[schedule]\nevery = 'often'", "'schedule.every' must be a duration"),
        ("[schedule]\nevery = '10s'", "'schedule.every' must be at least 1m for https://www.ilo.org"),
        ("[schedule]\nevery = '0s'", "'schedule.every' must be at least 1s"),
        ("[schedule]\ncron = '61 * * * *'", "'schedule.cron' is not a valid cron line"),
        ("[schedule]\ncron = '*/5 * * * *'\nevery = '5m'", "not both"),
        ("[schedule]\nhourly = true", "unknown key 'schedule.hourly'"),
        ("profile = 3", "'profile' must be one or more [[profile]] tables"),
        ("max_items = ", "not valid TOML"),
        ("retain_days = 0", "'retain_days' must be a whole number of at least 1"),
        ("lock_timeout = -1", "'lock_timeout' must be a number of seconds"),
    ],
)
def test_every_invalid_key_has_a_message_naming_it(tmp_path, text, message):
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as info:
        load(path, env={})
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_invalid_environment_value_names_its_origin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="environment: 'max_items'"):
        load(env={"SPFEED_MAX_ITEMS": "-2"})


def test_missing_config_file_says_how_to_create_one(tmp_path):
    with pytest.raises(ConfigError, match="spfeed init"):
        load(tmp_path / "missing.toml", env={})


def test_schedule_cron_and_durations(tmp_path):
    path = write(tmp_path, "[schedule]\ncron = '*/30 * * * *'\njitter = '90s'\nmax_backoff = '2h'\n")
    schedule = load(path, env={}).schedule
    assert schedule.cron == "*/30 * * * *" and schedule.every is None
    assert schedule.jitter == timedelta(seconds=90) and schedule.max_backoff == timedelta(hours=2)


def test_user_profiles_are_kept_for_the_parser(tmp_path):
    path = write(tmp_path, "[[profile]]\nname = 'mine'\ndetect = 'main'\nitem = 'article'\ntitle = 'h2'\nlink = 'a'\n")
    assert load(path, env={}).profiles[0]["name"] == "mine"
