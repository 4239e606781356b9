"""The Jupyter server extension behind `make lab`: TCP_NODELAY on the kernel websockets (nnlib.book.lab_server)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("jupyter_server")

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection  # noqa: E402

from nnlib.book import lab_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def fake_server(connection_class):
    return SimpleNamespace(web_app=SimpleNamespace(settings={lab_server.SETTING: connection_class}),
                           log=logging.getLogger("test_lab_server"))


def test_the_extension_gives_kernel_websockets_the_no_delay_connection():
    server = fake_server(ZMQChannelsWebsocketConnection)
    lab_server._load_jupyter_server_extension(server)
    assert server.web_app.settings[lab_server.SETTING] is lab_server.NoDelayKernelConnection
    assert issubclass(lab_server.NoDelayKernelConnection, ZMQChannelsWebsocketConnection)
    assert lab_server._jupyter_server_extension_points() == [{"module": "nnlib.book.lab_server"}]


def test_another_connection_class_is_left_as_it_is():
    class GatewayLike(ZMQChannelsWebsocketConnection):
        pass

    server = fake_server(GatewayLike)
    lab_server._load_jupyter_server_extension(server)
    assert server.web_app.settings[lab_server.SETTING] is GatewayLike


def test_connecting_sets_no_delay_first_then_connects_as_jupyter_does(monkeypatch):
    calls = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: calls.append("connect") or "future")
    handler = SimpleNamespace(set_nodelay=lambda value: calls.append(("nodelay", value)))
    connection = lab_server.NoDelayKernelConnection.__new__(lab_server.NoDelayKernelConnection)
    connection._trait_values["websocket_handler"] = handler  # a stand-in for tornado's websocket handler
    assert connection.connect() == "future"
    assert calls == [("nodelay", True), "connect"]


def test_configure_lab_enables_the_extension_and_keeps_other_settings(tmp_path):
    """scripts/configure_lab.py writes into sys.prefix: run it in a throwaway prefix."""
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "nnlib-book.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"jpserver_extensions": {"other": True}}}))
    code = (f"import sys; sys.prefix = {str(tmp_path)!r}; sys.argv = ['configure_lab']; "
            f"import runpy; runpy.run_path({str(ROOT / 'scripts' / 'configure_lab.py')!r}, run_name='__main__')")
    subprocess.run([sys.executable, "-c", code], check=True)
    extensions = json.loads(config.read_text())["ServerApp"]["jpserver_extensions"]
    assert extensions == {"other": True, "nnlib.book.lab_server": True}
    overrides = json.loads((tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]["myst"] == "Jupytext Notebook"
