"""A Jupyter server extension that lets slider-driven widgets keep up with the reader's hand.

Found by measuring (``benchmarks/widget_fps.py``): dragging a slider whose
handler does nothing reached only 17.6 value changes per second in JupyterLab,
although the kernel answers in 5 ms. ipywidgets' front end sends a slider's
next value only after the kernel has reported "idle" for the last one, and that
report waited about 40 ms in the server: Jupyter's kernel websocket leaves
Nagle's algorithm on, so a small message sent right after another is held
back until the browser acknowledges the first, which it delays by up to 40 ms
(TCP's delayed acknowledgement). With the socket's ``TCP_NODELAY`` flag set the
same drag reaches 43 changes per second.

``scripts/configure_lab.py`` (run by ``make lab`` and Binder's postBuild)
enables this extension; it then gives every kernel websocket
:class:`NoDelayKernelConnection`. A server configured with another connection
class (a kernel gateway, say) is left as it is. Nothing else changes: the
messages and their order are the same, only sent without waiting.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayKernelConnection"]

SETTING = "kernel_websocket_connection_class"


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket connection, with ``TCP_NODELAY`` set on the socket when it connects."""

    def connect(self):
        """Set ``TCP_NODELAY`` on the browser's websocket, then connect as Jupyter does."""
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def _jupyter_server_extension_points():
    return [{"module": "nnlib.book.lab_server"}]


def _load_jupyter_server_extension(serverapp) -> None:
    settings = serverapp.web_app.settings
    current = settings.get(SETTING)
    if current is not ZMQChannelsWebsocketConnection:
        serverapp.log.info("nnlib.book.lab_server: kernel connections are %s, left as they are", current)
        return
    settings[SETTING] = NoDelayKernelConnection
    serverapp.log.info("nnlib.book.lab_server: kernel websockets send without delay (TCP_NODELAY)")
