import pytest

from ui import addresses
from ui.addresses import join_base


def test_a_configured_public_address_wins(monkeypatch):
    monkeypatch.setenv("RISKKIT_PUBLIC_URL", "https://risk.example.org/")
    assert join_base("http://localhost:8501/present", "0.0.0.0") == ("https://risk.example.org", None)


def test_an_address_phones_can_open_is_kept(monkeypatch):
    monkeypatch.delenv("RISKKIT_PUBLIC_URL", raising=False)
    assert join_base("http://10.0.0.5:8501/present?key=x", "0.0.0.0") == ("http://10.0.0.5:8501", None)


def test_localhost_becomes_the_machines_network_address_when_the_room_can_reach_it(monkeypatch):
    monkeypatch.delenv("RISKKIT_PUBLIC_URL", raising=False)
    monkeypatch.setattr(addresses, "network_address", lambda: "192.168.1.20")
    assert join_base("http://localhost:8501/present", "0.0.0.0") == ("http://192.168.1.20:8501", None)


@pytest.mark.parametrize("listening", ["127.0.0.1", "localhost"])
def test_a_server_on_this_computer_only_is_said_plainly(monkeypatch, listening):
    monkeypatch.delenv("RISKKIT_PUBLIC_URL", raising=False)
    base, warning = join_base("http://127.0.0.1:8501/present", listening)
    assert base == "http://127.0.0.1:8501" and "Phones cannot open this address" in warning


def test_no_network_at_all_is_said_plainly(monkeypatch):
    monkeypatch.delenv("RISKKIT_PUBLIC_URL", raising=False)
    monkeypatch.setattr(addresses, "network_address", lambda: None)
    assert "no network address" in join_base("http://localhost:8501/", "0.0.0.0")[1]
