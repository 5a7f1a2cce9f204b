"""First run: choose a passphrase and create the data folder.

The passphrase is typed twice, masked, with zxcvbn's judgement as you type
(at least 15 characters and a score of 3 or more, services/passphrase.py).
Creating the folder derives the key (about a second), so it runs in a thread
worker and reports back with a message.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Footer, Input, Static

from vp_desk.services.passphrase import MIN_LENGTH, Strength, strength, strength_message
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.unlock import GateFailed, GateScreen, Unlocked, folder_display

STRINGS = {
    "subtitle": ("Nieuwe gegevensmap", "New data folder"),
    "welcome": ("Welkom bij vp_desk.", "Welcome to vp_desk."),
    "intro": (
        "Alles wat u vastlegt wordt versleuteld bewaard in deze map:",
        "Everything you record is kept encrypted in this folder:",
    ),
    "explain": (
        f"Kies een wachtzin van minstens {MIN_LENGTH} tekens, bijvoorbeeld een zin van "
        "een paar woorden. Zonder wachtzin is niets terug te halen: bewaar hem veilig. "
        "Ctrl+q sluit af zonder iets aan te maken.",
        f"Choose a passphrase of at least {MIN_LENGTH} characters, for example a "
        "sentence of a few words. Without it nothing can be recovered: keep it safe. "
        "Ctrl+q closes without creating anything.",
    ),
    "passphrase": ("Wachtzin", "Passphrase"),
    "repeat": ("Herhaal de wachtzin", "Repeat the passphrase"),
    "create": ("Gegevensmap aanmaken", "Create data folder"),
    "strength": ("Sterkte: ", "Strength: "),
    "score0": ("zeer zwak", "very weak"),
    "score1": ("zwak", "weak"),
    "score2": ("matig", "fair"),
    "score3": ("goed", "good"),
    "score4": ("sterk", "strong"),
    "chars": ("{n} tekens", "{n} characters"),
    "differ": ("De twee wachtzinnen verschillen.", "The two passphrases differ."),
    "same": ("De wachtzinnen zijn gelijk.", "The passphrases match."),
    "working": (
        "Bezig: sleutel afleiden en de gegevensmap aanmaken…",
        "Working: deriving the key and creating the data folder…",
    ),
}

SCORE_STYLES = ("red", "red", "yellow", "green", "bold green")


def strength_line(result: Strength, length: int, lang: str) -> Text:
    """``Sterkte: ■■■□□ goed · 23 tekens`` followed by what to improve."""
    line = Text(pick(STRINGS, "strength", lang))
    style = SCORE_STYLES[result.score]
    line.append("■" * (result.score + 1), style=style)
    line.append("□" * (4 - result.score), style="dim")
    line.append(f" {pick(STRINGS, f'score{result.score}', lang)}", style=style)
    line.append(f" · {pick(STRINGS, 'chars', lang, n=length)}", style="dim")
    for problem in result.problems:
        line.append("\n" + strength_message(problem, lang), style="yellow")
    if lang == "en" and result.warning and result.problems:
        line.append("\n" + result.warning, style="dim")
    return line


class SetupScreen(GateScreen):
    AUTO_FOCUS = "#new-passphrase"
    STRINGS = STRINGS

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Center():
            with Vertical(id="setup-box", classes="gate-box"):
                yield self.brand()
                yield Static(Text(pick(STRINGS, "welcome", lang)))
                yield Static(Text(pick(STRINGS, "intro", lang)))
                yield Static(
                    safe_line(folder_display(self.app.folder.path), style="bold"), id="setup-folder"
                )
                yield Static(Text(pick(STRINGS, "explain", lang)), classes="gate-prompt")
                yield Input(
                    password=True,
                    placeholder=pick(STRINGS, "passphrase", lang),
                    id="new-passphrase",
                )
                yield Static("", id="setup-strength")
                yield Input(
                    password=True, placeholder=pick(STRINGS, "repeat", lang), id="repeat-passphrase"
                )
                yield Static("", id="setup-match")
                yield Button(
                    Text(pick(STRINGS, "create", lang)),
                    id="setup-create",
                    variant="primary",
                    disabled=True,
                )
                yield Static("", id="gate-message", classes="gate-message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "vp_desk"
        self.sub_title = pick(STRINGS, "subtitle", self.lang)

    # -- feedback as you type -------------------------------------------------------------
    def _values(self) -> tuple[str, str]:
        return (
            self.query_one("#new-passphrase", Input).value,
            self.query_one("#repeat-passphrase", Input).value,
        )

    def _ready(self) -> bool:
        first, second = self._values()
        return bool(first) and first == second and strength(first).ok

    @on(Input.Changed, "#new-passphrase")
    def _first_changed(self, event: Input.Changed) -> None:
        value = event.value
        shown = strength_line(strength(value), len(value), self.lang) if value else ""
        self.query_one("#setup-strength", Static).update(shown)
        self._match_changed()

    @on(Input.Changed, "#repeat-passphrase")
    def _match_changed(self) -> None:
        first, second = self._values()
        line: str | Text = ""
        if second:
            same = first == second
            line = Text(
                pick(STRINGS, "same" if same else "differ", self.lang),
                style="green" if same else "yellow",
            )
        self.query_one("#setup-match", Static).update(line)
        self.query_one("#setup-create", Button).disabled = self.busy or not self._ready()

    @on(Input.Submitted, "#new-passphrase")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#repeat-passphrase", Input).focus()

    @on(Input.Submitted, "#repeat-passphrase")
    @on(Button.Pressed, "#setup-create")
    def _create_pressed(self, event) -> None:
        event.stop()
        if self.busy or not self._ready():
            return
        passphrase = self._values()[0]
        self.start_work()
        self.query_one("#setup-create", Button).disabled = True
        self.query_one("#setup-strength", Static).update("")
        self.query_one("#setup-match", Static).update("")
        self.show_status(pick(STRINGS, "working", self.lang))
        self._create(passphrase)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gate")
    def _create(self, passphrase: str) -> None:
        from vp_desk.services.desk import Desk
        from vp_desk.services.leftovers import refuse_foreign_folder

        try:
            if not self.app.folder.is_initialised():  # never mixed into a foreign folder
                refuse_foreign_folder(self.app.folder.path, self.lang)
            desk = Desk(self.app.folder.create(passphrase))
        except BaseException as exc:  # shown on the screen, never a traceback
            self.post_message(GateFailed(exc))
            return
        self.app.post_message(Unlocked(desk, created=True))
