"""One key at a time: every key reaches the widget that was under the cursor when it was typed.

Textual hands each key from the terminal to the focused widget's own queue and goes on with
the next key at once; a key that switches screens, closes a dialog or starts an edit only
takes effect when that queue gets to it. Keys typed faster than that (a quick typist, a
keypad macro, a slow SSH link that delivers them together) would reach the widget that had
the focus before: a digit typed right after Ctrl+G R07_2021 Enter landing in the first cell of
a Quadro built for the first time, a letter right after a dialog's Enter landing in the
dialog that is closing.

`KeyGate` (mixed into the App) keeps keys, and pastes, in a queue and lets the next one in
only when everything the previous one set off has happened: every widget of the screen on top
has processed its messages (two rounds in a row with all queues empty and the screen stack
and focus unchanged), and the screen on top says it is ready (`ready`, see `DraftScreen`:
its cursor is where it was aimed). A key typed when nothing is pending goes through at once;
only keys that come faster than the program wait, and they are never dropped nor reordered.

The rounds are a few milliseconds apart, and the screen is not repainted while they run
(`batch_update`): a key's effects are painted together, in one frame, once they have all
happened (not the echoed digit first and the figures it changes a frame or two later).

Text typed into a text field that has the focus (a figure in the edit line, R40, the name in
Ctrl+G's dialog) moves nothing: when no key is waiting it goes straight to the field, as in
any Textual app.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import deque
from time import monotonic
from typing import Any

from textual import events
from textual.app import ScreenStackError
from textual.command import CommandPalette  # imported by textual.app already: no cost
from textual.dom import NoScreen
from textual.widgets import Input

NO_SCREEN = (ScreenStackError, NoScreen)  # starting (no screen yet) or exiting (none any more)

WATCHDOG = 0.5  # seconds: a round not finished by then (a widget removed meanwhile) starts again
FIELD_KEYS = frozenset(("backspace", "delete", "left", "right", "home", "end"))
GAP = 0.001  # seconds between rounds: the widgets repaint meanwhile
PATIENCE = 10.0  # seconds: a screen not ready by then gets the keys anyway (never kept for good)


class KeyGate:
    """App mixin: keys and pastes in order, each after the previous one has settled."""

    _gate_queue: deque[events.Event]
    _gate_busy = False
    _gate_round = 0
    _gate_started = 0.0
    _gate_since = 0.0
    _gate_typed = False  # characters sent straight to a field since the last settling
    _gate_forced = False  # the last settling ran out of patience: the next key goes in
    _gate_binding = False  # a field's own key (Backspace) sent straight in: settle it first
    _gate_quiet = 0
    _gate_timer: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gate_queue = deque()

    @property
    def keys_pending(self) -> int:
        """Keys (and pastes) received and not yet let in (0 when the program has caught up)."""
        return len(self._gate_queue) + (1 if self._gate_busy else 0)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._gate_queue.append(event)
            if not self._gate_busy:
                await self._gate_next()
            return
        await super().on_event(event)  # type: ignore[misc]

    def _typing(self, event: events.Event) -> bool:
        """A character for the text field that has the focus: the field inserts it itself, and
        it moves neither focus nor screen."""
        app: Any = self
        if not _text_field(app.focused) or not self._screen_ready():
            return False
        if isinstance(event, events.Paste):
            return True
        if event.is_printable:
            return not self._gate_binding
        # The field's own keys (Backspace, arrows) are bindings, run when the key has gone up
        # to the App: one goes straight in only when the field has handled every character
        # sent before it, and the key after it waits for it to settle (else a character sent
        # later would be inserted before it acts).
        return (event.key in FIELD_KEYS and not self._gate_binding
                and app.focused._message_queue.empty())

    async def _gate_next(self) -> None:
        """Let the oldest waiting key in, then wait for it to settle."""
        while self._gate_queue and not self._gate_busy and self._typing(self._gate_queue[0]):
            event = self._gate_queue.popleft()
            await super().on_event(event)  # type: ignore[misc]
            self._gate_typed = True
            if isinstance(event, events.Key) and not event.is_printable:
                self._gate_binding = True
                break
        if self._gate_busy or not self._gate_queue:
            return
        # Characters sent straight to a field may still wait in its queue, or what they set
        # off may still run (the palette's search): a key that acts at once (Ctrl+S, a
        # priority binding, run as it is let in) must find them typed, and on a screen other
        # than the draft's (whose fields do all their work as each character is typed) any
        # key waits for them. And no key goes to a screen that is not ready.
        settle_first = not self._gate_forced and (
            not self._screen_ready() or self._gate_binding or self._gate_typed and (
                self._acts_at_once(self._gate_queue[0]) or not self._draft_screen()))
        event = None if settle_first else self._gate_queue.popleft()
        self._gate_typed = self._gate_forced = self._gate_binding = False
        app: Any = self
        self._gate_busy = True
        self._gate_quiet = 0
        self._gate_since = monotonic()
        self._gate_signature = self._signature()
        app._begin_batch()  # its effects painted together, once they have all happened
        try:
            if event is not None:
                await super().on_event(event)  # type: ignore[misc]
        finally:
            if self._gate_timer is None:
                self._gate_timer = app.set_interval(WATCHDOG / 2, self._gate_watchdog)
            else:
                self._gate_timer.resume()
            self._gate_probe()

    def _gate_schedule(self) -> None:
        """The next round, in a millisecond."""
        asyncio.get_running_loop().call_later(GAP, self._gate_probe)

    @property
    def _gate_open(self) -> bool:
        """The App still runs (a round scheduled before it ended finds nothing to do)."""
        app: Any = self
        return app.is_running and not app._exit

    def _acts_at_once(self, event: events.Event) -> bool:
        """Whether a key is a priority binding of the screen on top (or of the App)."""
        if not isinstance(event, events.Key):
            return False
        app: Any = self
        try:
            chain = app.screen._binding_chain
            return any(binding.priority for _, bindings in chain
                       for binding in bindings.key_to_bindings.get(event.key, ()))
        except AttributeError:  # Textual's internals changed: be safe, settle first
            return True
        except NO_SCREEN:
            return False

    def _draft_screen(self) -> bool:
        """The screen on top is one of the draft's (it says when it is `ready`)."""
        app: Any = self
        try:
            return hasattr(app.screen, "ready")
        except NO_SCREEN:
            return False

    def _signature(self) -> tuple:
        app: Any = self
        try:
            return tuple(map(id, app.screen_stack)), id(app.focused)
        except NO_SCREEN:
            return (), 0

    def _gate_probe(self) -> None:
        """A round: a callback queued behind every message already waiting in each widget
        of the screen on top (and the App); when all have run, `_gate_round_done`."""
        app: Any = self
        if not self._gate_open or not self._gate_busy:  # a probe left over from a round given
            return  # up by the watchdog, firing after the key was let go: nothing to settle
        self._gate_round += 1
        this_round = self._gate_round
        self._gate_started = monotonic()
        try:
            nodes = [app, *app.screen.walk_children(with_self=True)]
        except NO_SCREEN:
            nodes = [app]
        pending = 0

        def done() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0 and self._gate_round == this_round:
                self._gate_round_done(nodes)

        for node in nodes:
            if node.call_later(done):
                pending += 1
        if pending == 0:
            self._gate_round_done(nodes)

    def _gate_round_done(self, nodes: list[Any]) -> None:
        signature = self._signature()
        quiet = signature == self._gate_signature and all(
            node._message_queue.empty() for node in nodes)
        self._gate_signature = signature
        self._gate_quiet = self._gate_quiet + 1 if quiet else 0
        settled = self._gate_quiet >= 2 and self._screen_ready()
        if not settled and monotonic() - self._gate_since < PATIENCE:
            self._gate_schedule()
            return
        self._gate_forced = not settled
        self._gate_release()

    def _screen_ready(self) -> bool:
        app: Any = self
        try:
            screen = app.screen
        except NO_SCREEN:
            return True
        if not screen.is_mounted or not getattr(screen, "ready", True):
            return False
        # The command palette searches in a worker: Enter waits for the hits it would choose.
        # (Not every screen with a worker: the list of drafts reads a folder in one, and its
        # keys must not wait for a large folder.)
        return not isinstance(screen, CommandPalette) or not any(
            worker.node is screen and not worker.is_finished for worker in app.workers)

    def _gate_release(self) -> None:
        app: Any = self
        if not self._gate_busy:  # released already: the batch was ended once, not twice
            return
        self._gate_busy = False
        self._gate_round += 1  # a late callback of the finished round does nothing
        if self._gate_timer is not None:
            self._gate_timer.pause()
        app._end_batch()
        with contextlib.suppress(*NO_SCREEN):
            app.screen.check_idle()  # it skipped its repaint during the batch: now
        if self._gate_queue:
            app: Any = self
            app.call_later(self._gate_next)

    def _gate_watchdog(self) -> None:
        """A round that does not end (a callback queued to a widget or a screen that has gone
        since) is given up for a new one; after `PATIENCE` the keys go in anyway."""
        if not self._gate_busy or monotonic() - self._gate_started <= WATCHDOG:
            return
        self._gate_round += 1  # the late callbacks of the round given up do nothing
        self._gate_quiet = 0
        if monotonic() - self._gate_since < PATIENCE:
            self._gate_schedule()
        else:
            self._gate_forced = True
            self._gate_release()


def _text_field(widget: Any) -> bool:
    """An Input or a TextArea (not imported for this: it is slow to import, and until the
    final screen is built no TextArea exists)."""
    if isinstance(widget, Input):
        return True
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)
