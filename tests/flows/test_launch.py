"""`flows.launch`: when the CLI starts Prefect's temporary server itself, and when it must not."""

from __future__ import annotations

from flows import launch


def test_no_temporary_server_when_an_api_url_is_set(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert launch.start_temporary_server() is None


def test_no_temporary_server_when_prefect_forbids_one(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
    assert launch.start_temporary_server() is None


def test_a_profile_that_names_the_api_wins_over_the_temporary_server(monkeypatch, tmp_path):
    (tmp_path / "profiles.toml").write_text(
        'active = "team"\n\n[profiles.team]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n', encoding="utf-8")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "profiles.toml"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")  # what the launcher sets for its own server
    assert launch._configured_elsewhere() == "http://10.0.0.5:4200/api"
    assert launch.os.environ["PREFECT_API_URL"] == "http://127.0.0.1:1/api"  # restored


def test_without_a_profile_the_temporary_server_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "profiles.toml"))
    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_ENABLED", raising=False)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    assert launch._configured_elsewhere() is None
