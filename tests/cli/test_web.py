"""`soc25 web`'s arguments, the command each browser tab runs, and what the server refuses,
without a browser (the browser itself: tests/web/test_browser.py)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import typing

import pytest

from soc25_tui.cli import main, web

from ..conftest import EXAMPLES

HOSTILE_NAMES = ["a b.toml", "l'anno \"2024\".toml", "x; touch PWNED; .toml", "$(touch PWNED).toml",
                 "`touch PWNED`.toml", "-x.toml", "check", "a\nb.toml", "* ?.toml"]


class FakeServer:
    """Stands for textual-serve's server: keeps what it was given, serves nothing."""

    made: typing.ClassVar[list[FakeServer]] = []

    def __init__(self, command, sock, *, name, open_to_all):
        self.command, self.sock, self.name, self.open_to_all = command, sock, name, open_to_all
        self.interrupted = False
        self.address = sock.getsockname()
        FakeServer.made.append(self)

    def serve(self):
        self.sock.close()


@pytest.fixture
def fake_server(monkeypatch):
    FakeServer.made = []
    monkeypatch.setattr(web, "_server_class", lambda: FakeServer)
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    return FakeServer.made, opened


def test_listens_on_this_computer_only_by_default(tmp_path, fake_server, capsys):
    made, opened = fake_server
    assert main(["web", str(tmp_path), "--port", "0", "--no-browser"]) == 0
    (server,) = made
    assert server.address[0] == "127.0.0.1" and not server.open_to_all
    out, err = capsys.readouterr()
    assert f"http://127.0.0.1:{server.address[1]}/" in out
    assert err == "" and opened == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_loopback_host_gives_no_warning(tmp_path, fake_server, capsys, host):
    if host == "::1" and not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    made, _ = fake_server
    status = main(["web", str(tmp_path), "--port", "0", "--no-browser", "--host", host])
    if status == 2 and "::1" in host:
        pytest.skip("IPv6 loopback not configured here")
    assert status == 0 and not made[0].open_to_all
    assert capsys.readouterr().err == ""


def test_another_host_is_served_with_a_warning(tmp_path, fake_server, capsys):
    made, _ = fake_server
    assert main(["web", str(tmp_path), "--port", "0", "--no-browser", "--host", "0.0.0.0"]) == 0
    (server,) = made
    assert server.address[0] == "0.0.0.0" and server.open_to_all
    out, err = capsys.readouterr()
    port = server.address[1]
    assert f"http://127.0.0.1:{port}/" in out  # this computer's browser reaches it there
    assert f"http://0.0.0.0:{port}/" in err
    assert "Chiunque" in err and "leggere e modificare le bozze" in err and "password" in err


@pytest.mark.parametrize(("port", "said"), [
    ("abc", "«abc» non è un numero di porta"),
    ("70000", "70000 non è un numero di porta"),
    ("-1", "-1 non è un numero di porta"),
])
def test_a_bad_port_is_refused_in_italian(tmp_path, fake_server, capsys, port, said):
    made, _ = fake_server
    with pytest.raises(SystemExit) as exit_:
        main(["web", str(tmp_path), "--port", port, "--no-browser"])
    assert exit_.value.code == 2 and made == []
    err = capsys.readouterr().err
    assert said in err and "da 1 a 65535" in err and "Traceback" not in err


def test_a_port_in_use_is_refused_in_italian(tmp_path, fake_server, capsys):
    made, _ = fake_server
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["web", str(tmp_path), "--port", str(port), "--no-browser"]) == 2
    assert made == []
    err = capsys.readouterr().err
    assert f"la porta {port} è già in uso" in err and "--port" in err


def test_an_unknown_host_is_refused_in_italian(tmp_path, fake_server, capsys):
    assert main(["web", str(tmp_path), "--port", "0", "--host", "nessun-host.invalid"]) == 2
    assert fake_server[0] == []
    assert "--host nessun-host.invalid: indirizzo sconosciuto" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["manca/", "manca/nuova.toml", "manca"])
def test_a_missing_folder_is_refused_before_serving(tmp_path, fake_server, capsys, where):
    assert main(["web", str(tmp_path / where), "--port", "0", "--no-browser"]) == 2
    assert fake_server[0] == []
    err = capsys.readouterr().err
    assert "non esiste" in err and "manca" in err and "Traceback" not in err


def test_a_file_that_is_not_a_draft_is_refused_before_serving(tmp_path, fake_server, capsys):
    bad = tmp_path / "rotta.toml"
    bad.write_text("[quadro1\n", encoding="utf-8")
    assert main(["web", str(bad), "--port", "0", "--no-browser"]) == 2
    assert fake_server[0] == []
    assert "rotta.toml" in capsys.readouterr().err


def test_a_new_draft_in_an_existing_folder_is_served(tmp_path, fake_server):
    assert main(["web", str(tmp_path / "nuova.toml"), "--port", "0", "--no-browser"]) == 0
    assert not (tmp_path / "nuova.toml").exists()  # created by the tab's app, once asked


def argv_printer(tmp_path) -> str:
    """An executable standing for Python: prints the arguments it was given, as JSON."""
    script = tmp_path / "python stand-in"
    script.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.skipif(os.name == "nt", reason="runs the command through /bin/sh, as textual-serve does on Unix")
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_tab_command_passes_any_file_name_whole_to_the_shell(tmp_path, name):
    python = argv_printer(tmp_path)
    command = web.child_command(name, python=python, windows=False)
    # textual-serve runs it with asyncio.create_subprocess_shell: /bin/sh -c COMMAND.
    done = subprocess.run(["/bin/sh", "-c", command], cwd=tmp_path, capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == ["-m", "soc25_tui.cli", "--", name]
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.skipif(os.name == "nt", reason="runs the command through /bin/sh, as textual-serve does on Unix")
def test_the_tab_command_is_this_python_and_this_soc25_on_the_draft_named(tmp_path, fake_server, monkeypatch):
    name = "x; touch PWNED; 'a b'.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert main(["web", name, "--port", "0", "--no-browser", "--view"]) == 0
    (server,) = fake_server[0]
    assert shlex.split(server.command) == ["exec", sys.executable, "-m", "soc25_tui.cli", "--view", "--", name]
    assert server.name == name


def test_on_windows_a_name_cmd_would_expand_is_refused():
    assert web.child_command("a b.toml", python=r"C:\Program Files\Python\python.exe", windows=True) == (
        r'"C:\Program Files\Python\python.exe" -m soc25_tui.cli -- "a b.toml"')
    with pytest.raises(web.Refused, match="«%»"):
        web.child_command("%USERPROFILE%.toml", python="python", windows=True)


def test_the_browser_opens_on_the_address_unless_told_not_to(tmp_path, fake_server, monkeypatch, capsys):
    made, opened = fake_server
    monkeypatch.setenv("DISPLAY", ":0")
    assert main(["web", str(tmp_path), "--port", "0"]) == 0
    for _ in range(100):  # opened in a thread
        if opened:
            break
        time.sleep(0.02)
    assert opened == [f"http://127.0.0.1:{made[0].address[1]}/"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the display check is for X11/Wayland systems")
def test_without_a_display_no_text_browser_takes_the_terminal(tmp_path, fake_server, monkeypatch, capsys):
    made, opened = fake_server
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    assert main(["web", str(tmp_path), "--port", "0"]) == 0
    time.sleep(0.2)
    assert opened == []
    assert f"aprire http://127.0.0.1:{made[0].address[1]}/ in un browser" in capsys.readouterr().err


# --- the real server, without a browser ----------------------------------------------------


@contextlib.contextmanager
def web_process(tmp_path, target, *options, address=r"127\.0\.0\.1"):
    """`soc25 web TARGET --port 0 --no-browser OPTIONS` started, and killed at the end if
    still running; yields (the process, the match of the address it printed, None if it
    ended or printed none in 10 s, the file of what it printed)."""
    out = tmp_path / "web.out"
    with open(out, "w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "soc25_tui.cli", "web", str(target), "--port", "0",
                                    "--no-browser", *options], stdout=sink, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            found = re.search(rf"http://{address}:(\d+)/", out.read_text())
            if found or process.poll() is not None:
                break
            time.sleep(0.05)
        yield process, found, out
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def server(tmp_path):
    """`soc25 web FOLDER --port 0 --no-browser`, running; yields its port."""
    with web_process(tmp_path, tmp_path) as (process, found, out):
        assert found, out.read_text()
        yield int(found.group(1)), process


def ask(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_the_page_is_italian_and_asks_nothing_from_outside(server):
    port, _process = server
    status, text = ask(port, "/", {"Host": f"127.0.0.1:{port}"})
    assert status == 200
    assert '<html lang="it">' in text and "Sessione terminata" in text
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in text
    assert "https://" not in text and "Session ended" not in text


def test_another_site_cannot_drive_the_app(server):
    """A page of another site, open in the same browser, may open a WebSocket to 127.0.0.1
    (browsers allow it) or reach it through a name of its own (DNS rebinding): refused."""
    port, _process = server
    status, text = ask(port, "/ws", {"Host": f"127.0.0.1:{port}", "Origin": "http://esempio.invalid", **UPGRADE})
    assert status == 403 and "rifiutato" in text
    status, _ = ask(port, "/ws", {"Host": f"esempio.invalid:{port}", "Origin": f"http://esempio.invalid:{port}",
                                  **UPGRADE})
    assert status == 403
    status, _ = ask(port, "/", {"Host": f"esempio.invalid:{port}"})
    assert status == 403
    # The page's own origin is let in (the app then starts: the browser test goes on from here).
    status, _ = ask(port, "/ws", {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}", **UPGRADE})
    assert status == 101


def test_ctrl_c_stops_the_server_quietly_with_status_130(server):
    port, process = server
    assert ask(port, "/", {"Host": f"localhost:{port}"})[0] == 200
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 130


def test_ctrl_c_with_a_tab_open_ends_its_app_at_once_and_keeps_its_changes(tmp_path):
    """Ctrl+C while a tab is open: the tab's app is told to quit (its recovery file written,
    the draft freed) and the server ends in seconds, with 130; it waited before for the
    browser to close the connection, up to aiohttp's minute, the draft held all along."""
    aiohttp = pytest.importorskip("aiohttp")
    import asyncio

    draft = tmp_path / "bozza.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", draft)
    with web_process(tmp_path, draft) as (process, found, out):
        assert found, out.read_text()
        port = int(found.group(1))
        lock = tmp_path / ".bozza.toml.lock"
        recovery = tmp_path / ".bozza.toml.recupero"

        async def tab() -> float:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24",
                                              headers={"Origin": f"http://127.0.0.1:{port}"}) as ws:
                    for _ in range(300):  # the app has started: it holds the draft
                        if lock.exists():
                            break
                        await asyncio.sleep(0.05)
                    assert lock.exists()
                    await asyncio.sleep(1)
                    await ws.send_str(json.dumps(["stdin", "9"]))  # a change, not saved
                    for _ in range(100):
                        if recovery.exists():
                            break
                        await asyncio.sleep(0.05)
                    assert recovery.exists()
                    started = time.monotonic()
                    process.send_signal(signal.SIGINT)
                    async for _message in ws:  # the browser keeps its end open
                        pass
                    return started

        started = asyncio.run(asyncio.wait_for(tab(), 60))
        assert process.wait(timeout=60) == 130
        assert time.monotonic() - started < 10
        assert not lock.exists() and recovery.exists()


def test_the_page_opens_on_the_loopback_address_asked_for(tmp_path):
    """`--host 127.0.0.2` (any 127.x is this computer): the address printed is served, not
    refused as another site's."""
    with web_process(tmp_path, tmp_path, "--host", "127.0.0.2", address=r"127\.0\.0\.2") as (_process, found, out):
        if not found and "127.0.0.2" in out.read_text():
            pytest.skip("127.0.0.2 is not a loopback address here")
        assert found, out.read_text()
        port = int(found.group(1))
        connection = http.client.HTTPConnection("127.0.0.2", port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200, response.read()
        connection.close()
