"""`soc25 web [DRAFT.toml | FOLDER] [--port N] [--host ADDRESS] [--no-browser] [--view]`: the same
app in a browser, served by textual-serve (imported only in `run`).

textual-serve runs one command per browser tab through the shell (asyncio's
create_subprocess_shell), each in its own process: here `exec PYTHON -m soc25_tui.cli [--view]
-- DRAFT`, every word quoted, so that a file name is never read by the shell as anything but a
name, and `exec` so that the signals of the terminal (Ctrl+C) reach the app itself and not a
shell waiting for it. Each tab's app holds the draft's lock like the TUI, and writes the
recovery file when the tab is closed (`app.run` does on every exit).

textual-serve has no authentication: it listens on 127.0.0.1 unless `--host` says otherwise
(then with a warning). A web page open in the same browser could still open a WebSocket to
127.0.0.1 (WebSockets are not held to the same-origin rule) or reach it through a name of its
own that resolves to 127.0.0.1 (DNS rebinding): the app's WebSocket is refused unless the Host
is this server's and the Origin, when a browser sends one, is the page's own.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import os
import shlex
import socket
import subprocess
import sys
from typing import Any

from .common import EXIT_USAGE, Parser, err

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8025  # «SOC25»; 0 asks the system for a free one

WARNING_OPEN = (
    "attenzione: soc25 web non chiede nessuna password. Chiunque raggiunga {url} può "
    "leggere e modificare le bozze{where}. Usare --host solo su una rete fidata; senza --host "
    "il browser di questo computer è l'unico che può collegarsi."
)


class Refused(Exception):
    """Arguments that cannot be served; str() is the Italian reason (exit status 2)."""


# --- the command each tab runs ------------------------------------------------------------


def child_command(target: str | None, *, read_only: bool = False, python: str | None = None,
                  windows: bool | None = None) -> str:
    """The shell command textual-serve runs for each browser tab: this same Python and this
    same soc25, on `target` (a draft or a folder; None: the current folder). Every word is
    quoted for the shell that runs it (sh on Unix, cmd.exe on Windows), and `--` ends the
    options: a file named «-x.toml», «check» or «a'; rm -rf ~; '.toml» is a name."""
    python = sys.executable if python is None else python
    windows = os.name == "nt" if windows is None else windows
    words = [python, "-m", "soc25_tui.cli"]
    if read_only:
        words.append("--view")
    if target is not None:
        words += ["--", target]
    if windows:
        # cmd.exe: a double-quoted word is taken whole, but %NAME% is expanded even inside
        # quotes, and a double quote would end the word: such a name is refused, not run.
        for word in words:
            if "%" in word or '"' in word:
                raise Refused(f"{word}: il nome contiene «%» o «\"», che il prompt dei comandi di "
                              "Windows interpreterebbe: rinominare il file o la cartella.")
        return subprocess.list2cmdline(words)
    return "exec " + shlex.join(words)


# --- what is served, checked before serving -----------------------------------------------


def check_target(target: str | None, *, read_only: bool = False) -> None:
    """What `soc25 [DRAFT | FOLDER]` would refuse before starting, refused now, on the
    terminal (once the page is open, an app that cannot start shows only an empty page)."""
    from ..core.drafts import DraftError, load
    from ..core.reading import os_reason

    if target is None or os.path.isdir(target):
        folder = target or "."
        try:
            os.scandir(folder).close()
        except OSError as exc:
            raise Refused(f"{folder}: impossibile leggere la cartella ({os_reason(exc)}).") from None
        return
    if os.path.exists(target):
        try:
            load(target)
        except DraftError as exc:
            raise Refused(str(exc)) from None
        return
    parent = os.path.dirname(target)
    if target.endswith(("/", os.sep)) or not target.lower().endswith(".toml"):
        raise Refused(f"{target}: la cartella non esiste (attesa una cartella, una bozza .toml, "
                      "o il nome .toml di una bozza nuova).")
    if read_only:
        raise Refused(f"{target}: il file non esiste.")
    if not os.path.isdir(parent or "."):
        raise Refused(f"{target}: la cartella {parent} non esiste.")


def port_arg(text: str) -> int:
    """`--port N` (argparse's `type`): 0 (any free port) to 65535."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» non è un numero di porta (atteso un numero "
                                         "intero da 1 a 65535, o 0 per una porta libera qualsiasi)") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} non è un numero di porta (atteso da 1 a 65535, "
                                         "o 0 per una porta libera qualsiasi)")
    return value


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host` (127.x, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_unspecified(host: str) -> bool:
    """0.0.0.0 or ::: every interface of this computer."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    """`host` as a URL writes it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on `host`:`port`, or Refused with the reason in Italian. Bound here,
    before serving, and handed to the server: no other program can take the port between the
    check and the serving."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError):
        raise Refused(f"--host {host}: indirizzo sconosciuto (atteso un indirizzo di questo computer, "
                      "ad esempio 127.0.0.1 o 0.0.0.0 per tutte le interfacce).") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "nt":  # else another program could bind the same port beside ours
            sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_EXCLUSIVEADDRUSE", socket.SO_REUSEADDR), 1)
        else:  # a port left in TIME_WAIT by a soc25 web just closed can be taken again
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
            raise Refused(f"la porta {port} è già in uso (da un altro programma, o da un altro "
                          "soc25 web): sceglierne un'altra con --port N, o --port 0 per una "
                          "porta libera qualsiasi.") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise Refused(f"la porta {port} è riservata all'amministratore del sistema: "
                          "sceglierne una da 1024 in su con --port N.") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise Refused(f"--host {host}: non è un indirizzo di questo computer.") from None
        raise Refused(f"impossibile ascoltare su {host}:{port} ({exc.strerror or exc}).") from None
    return sock


def address_of(sock: socket.socket, host: str) -> str:
    """The page's address for this computer's browser (an unspecified host, 0.0.0.0 or ::,
    is reached through the loopback)."""
    port = sock.getsockname()[1]
    shown = host.strip("[]")
    if _is_unspecified(shown):
        shown = "::1" if ":" in shown else "127.0.0.1"
    return f"http://{_bracketed(shown)}:{port}/"


# --- the page, in Italian, with no resource from outside ----------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
@font-face {{ font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic;
  src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf"); }}
html, body {{ margin: 0; height: 100%; }}
body {{ background: #0c181f; }}
#terminal {{ position: absolute; inset: 0; }}
.dialog-container {{ position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; z-index: 10; }}
.intro {{ padding: 32px 48px; font: 16px "Roboto Mono", monospace; text-align: center;
  color: rgba(255, 255, 255, 0.95); background-color: #12232d; }}
button {{ padding: 16px 32px; margin: 16px auto 0; display: block; background-color: #5e0ba7;
  color: rgba(255, 255, 255, 0.95); border: none; font: inherit; cursor: pointer; }}
button:hover, button:focus {{ background: #ac5af4; }}
body.-first-byte .intro-dialog {{ display: none; }}
.textual-terminal {{ opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
.closed-dialog {{ display: none; }}
body.-closed .closed-dialog {{ display: flex; }}
#start {{ display: none; }}
#start.-delay {{ display: block; }}
</style>
</head>
<body>
<div class="dialog-container intro-dialog"><div class="intro" role="status">
  <div>{name}: avvio in corso…</div>
  <button type="button" id="start" onclick="location.reload()">Avvia</button>
</div></div>
<div class="dialog-container closed-dialog"><div class="intro" role="alert">
  <div>Sessione terminata. Le modifiche non salvate, se ce n'erano, sono nel file di recupero:<br>
  riaprendo la bozza il programma propone di ripristinarle.</div>
  <button type="button" onclick="location.reload()">Riapri</button>
</div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}"
  data-font-size="{font_size}"></div>
</body>
</html>
"""


def page(name: str, websocket: str, font_size: int = 16) -> str:
    e = html.escape
    return _PAGE.format(title=e(f"soc25 — {name}"), name=e(name), websocket=e(websocket),
                        font_size=font_size)


# --- the driver of each tab's app ----------------------------------------------------------

DRIVER = f"{__name__}:WebDriver"


def __getattr__(name: str) -> Any:
    """`WebDriver`, made on first use: the tab's app names it in TEXTUAL_DRIVER
    (`soc25_tui.cli.web:WebDriver`), and only then is Textual imported here."""
    if name == "WebDriver":
        global WebDriver
        WebDriver = _driver_class()
        return WebDriver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _driver_class() -> type:
    """Textual's web driver, ending the app when the server that feeds it has gone (killed,
    or crashed). Textual's own then goes on running while nothing is drawn, holding the
    draft's lock for ever with nobody to type in it, and ends with a «Broken pipe» internal
    error at the first thing it draws. Here, when its input ends or its output cannot be
    written, the app quits as when its tab is closed: `app.run` writes the recovery file and
    frees the lock."""
    from textual import messages
    from textual.drivers import web_driver

    class WebDriver(web_driver.WebDriver):
        server_gone = False

        def _gone(self) -> None:
            if not self.server_gone:
                self.server_gone = True
                self._app.post_message(messages.ExitApp())

        def run_input_thread(self) -> None:
            super().run_input_thread()
            if not self.exit_event.is_set():  # not the app stopping: its input has ended
                self._gone()

        def write(self, data: str) -> None:
            if not self.server_gone:
                try:
                    super().write(data)
                except OSError:  # the pipe to the server is broken
                    self._gone()

        def write_meta(self, data: dict[str, object]) -> None:
            if not self.server_gone:
                try:
                    super().write_meta(data)
                except OSError:
                    self._gone()

        def write_binary_encoded(self, data: tuple[str | bytes, ...]) -> None:
            if not self.server_gone:
                try:
                    super().write_binary_encoded(data)
                except OSError:
                    self._gone()

    return WebDriver


# --- the server ---------------------------------------------------------------------------


def _server_class() -> type:
    """textual-serve's Server, quiet (no English banner or log on the terminal), serving the
    Italian page, refusing a WebSocket from another site, on a socket bound beforehand, its
    tabs' apps driven by WebDriver above."""
    import asyncio
    import logging
    import signal

    from aiohttp import WSCloseCode, web
    from aiohttp.web_runner import GracefulExit
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class TabService(AppService):
        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            environment["TEXTUAL_DRIVER"] = DRIVER
            return environment

    class WebServer(Server):
        def __init__(self, command: str, sock: socket.socket, *, name: str, open_to_all: bool) -> None:
            port = sock.getsockname()[1]
            super().__init__(command, host=DEFAULT_HOST, port=port, title=f"soc25 — {name}")
            self.sock = sock
            self.name = name
            self.open_to_all = open_to_all
            bound = _bracketed(sock.getsockname()[0])  # --host 127.0.0.2: its address is the page's
            self.local_hosts = {f"{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]", bound)}
            self.interrupted = False
            self.tabs: set[web.WebSocketResponse] = set()

        def initialize_logging(self) -> None:
            # textual-serve's and aiohttp's logs are English and for developers.
            for name in ("textual-serve", "aiohttp"):
                logger = logging.getLogger(name)
                logger.addHandler(logging.NullHandler())
                logger.propagate = False

        async def on_startup(self, app: web.Application) -> None:
            pass  # the address was said by `run`, in Italian

        async def on_shutdown(self, app: web.Application) -> None:
            """Ctrl+C with tabs open: each tab's connection closed, so that its app is told to
            quit (handle_websocket) and writes its recovery file; else the server would wait
            for the browser to close them, up to a minute, the draft still held."""
            await asyncio.gather(*(tab.close(code=WSCloseCode.GOING_AWAY) for tab in list(self.tabs)),
                                 return_exceptions=True)

        def _refusal(self, request: web.Request) -> str | None:
            host = (request.host or "").lower()
            if not self.open_to_all and host not in self.local_hosts:
                return f"soc25 web: indirizzo {host!r} non ammesso."
            origin = request.headers.get("Origin")
            if origin is not None and origin.lower() != f"http://{host}":
                return f"soc25 web: collegamento da un'altra pagina ({origin!r}) rifiutato."
            return None

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            refusal = self._refusal(request)
            if refusal:
                raise web.HTTPForbidden(text=refusal)
            font_size = to_int(request.query.get("fontsize", "16"), 16)
            text = page(self.name, f"ws://{request.host}/ws", font_size)
            return web.Response(text=text, content_type="text/html", charset="utf-8",
                                headers={"Cache-Control": "no-store"})

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            """textual-serve's, with the checks above, and the driver that ends a tab's app
            when the server has gone (TabService)."""
            refusal = self._refusal(request)
            if refusal:
                raise web.HTTPForbidden(text=refusal)
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service = None
            self.tabs.add(websocket)
            try:
                await websocket.prepare(request)
                service = TabService(self.command, write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,
                                     download_manager=self.download_manager, debug=False)
                await service.start(width, height)
                try:
                    await self._process_messages(websocket, service)
                finally:
                    await service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception:  # noqa: BLE001, S110 - a tab's failure ends that tab only
                pass
            finally:
                self.tabs.discard(websocket)
                if service is not None:
                    await service.stop()
            return websocket

        def request_exit(self, interrupted: bool = False) -> None:
            self.interrupted = self.interrupted or interrupted
            raise GracefulExit()

        def serve(self, debug: bool = False) -> None:
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.add_signal_handler(signal.SIGINT, self.request_exit, True)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
                if hasattr(signal, "SIGHUP"):  # the terminal closed: the tabs' apps end too
                    loop.add_signal_handler(signal.SIGHUP, self.request_exit)
            except (NotImplementedError, AttributeError):  # Windows: Ctrl+C is KeyboardInterrupt
                pass
            try:
                web.run_app(self._make_app(), sock=self.sock, handle_signals=False, loop=loop,
                            print=lambda *args: None)
            finally:
                loop.close()

    return WebServer


# --- the command --------------------------------------------------------------------------


def _can_show_a_browser() -> bool:
    """Whether webbrowser.open would open a window: on Linux and the like without a display
    it would start a text browser (lynx, w3m) on this very terminal, over this program."""
    if os.name == "nt" or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("BROWSER"))


def _open_browser(url: str) -> None:
    """The page opened in the person's browser, in a thread: a browser slow to start does
    not delay the server; a browser that cannot start is said, not fatal."""
    import threading
    import webbrowser

    def open_it() -> None:
        try:
            opened = webbrowser.open(url)
        except Exception:  # noqa: BLE001 - any failure of an outside program
            opened = False
        if not opened:
            err(f"il browser non si è aperto: aprire {url} a mano.")

    threading.Thread(target=open_it, name="soc25-browser", daemon=True).start()


def run(argv: list[str]) -> int:
    p = Parser(prog="soc25 web", description=(
        "Apre la scheda SOC25 nel browser: la stessa interfaccia del terminale, in una pagina\n"
        "servita da questo computer. Ogni pagina aperta è una sessione, con il blocco della\n"
        "bozza e il file di recupero come nel terminale. Ctrl+C qui chiude tutto."))
    p.add_argument("draft", nargs="?", metavar="BOZZA.toml | CARTELLA",
                   help="la bozza da aprire (se non esiste la crea); una cartella, o niente (la "
                        "cartella corrente): il quadro d'insieme delle sue bozze")
    p.add_argument("--port", type=port_arg, default=DEFAULT_PORT, metavar="N",
                   help=f"la porta (predefinita {DEFAULT_PORT}; 0: una libera qualsiasi)")
    p.add_argument("--host", default=DEFAULT_HOST, metavar="INDIRIZZO",
                   help=f"l'indirizzo su cui ascoltare (predefinito {DEFAULT_HOST}: solo questo "
                        "computer). Un altro indirizzo rende le bozze leggibili e modificabili da "
                        "chiunque lo raggiunga, senza password")
    p.add_argument("--no-browser", action="store_true", help="non aprire il browser: scrive solo l'indirizzo")
    p.add_argument("--view", action="store_true", help="apri in sola lettura")
    args = p.parse_args(argv)
    try:
        check_target(args.draft, read_only=args.view)
        command = child_command(args.draft, read_only=args.view)
        sock = listen(args.host, args.port)
    except Refused as exc:
        err(str(exc))
        return EXIT_USAGE
    url = address_of(sock, args.host)
    open_to_all = not is_loopback(args.host)
    if open_to_all:
        everywhere = _is_unspecified(args.host)
        shown = f"http://{_bracketed(args.host)}:{sock.getsockname()[1]}/"
        err(WARNING_OPEN.format(url=shown, where=" (da ogni rete collegata a questo computer)"
                                if everywhere else ""))
    try:
        server_class = _server_class()
    except ImportError as exc:  # pragma: no cover - depends on the installation
        sock.close()
        err(f"modalità browser non disponibile ({exc}): installare textual-serve.")
        return EXIT_USAGE
    name = os.path.basename(os.path.normpath(args.draft)) if args.draft else os.path.basename(os.getcwd())
    server = server_class(command, sock, name=name or ".", open_to_all=open_to_all)
    print(f"soc25 web: la scheda è all'indirizzo {url} (Ctrl+C per chiudere).", flush=True)
    if not args.no_browser:
        if _can_show_a_browser():
            _open_browser(url)
        else:
            err(f"nessuno schermo grafico qui: aprire {url} in un browser di questo computer.")
    server.serve()
    return 130 if server.interrupted else 0
