"""The agenda on the overview: what is due across every organisation.

One line per item (``services.agenda``); Enter on a line opens its case, the
retention review, the backup or the hand-over of an organisation whose
appointment ends. Organisation names are user text: shown literally.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line

STRINGS = {
    "title": ("Agenda", "Agenda"),
    "nothing": ("Niets te doen: geen vervolg, geen stille casussen.", "Nothing due."),
    "overdue": ("Vervolg te laat", "Follow-up overdue"),
    "due": ("Vervolg", "Follow-up"),
    "quiet": ("Geen contact sinds", "No contact since"),
    "retention": (
        "{n} over de bewaartermijn: beoordelen",
        "{n} past retention: review",
    ),
    "contract": (
        "aanstelling eindigt {day}: regel de overdracht",
        "appointment ends {day}: arrange the hand-over",
    ),
    "contract_ended": (
        "aanstelling is geëindigd op {day}: overdracht of wissen",
        "appointment ended on {day}: hand over or remove",
    ),
    "backup_never": (
        "Er is nog nooit een backup gemaakt: nu maken",
        "No backup has been made yet: make one now",
    ),
    "backup_old": (
        "De laatste backup is {n} dagen oud: nu maken",
        "The last backup is {n} days old: make one now",
    ),
    "loading": ("Agenda laden…", "Loading the agenda…"),
    "more_overdue": (
        "nog {n} vervolgafspraken te laat: casussen op vervolgdatum",
        "{n} more follow-ups overdue: cases by follow-up date",
    ),
    "more_due": (
        "nog {n} vervolgafspraken deze week: casussen op vervolgdatum",
        "{n} more follow-ups this week: cases by follow-up date",
    ),
    "more_quiet": (
        "nog {n} open casussen zonder recent contact: casussen",
        "{n} more open cases without recent contact: cases",
    ),
}

STYLES = {"overdue": "bold red", "due": "yellow", "quiet": "magenta", "retention": "red"}


def item_text(item, lang: str, today: date) -> Text:
    """One agenda line, user text literal."""
    day = item.day.isoformat() if item.day else ""
    text = Text()
    if item.kind in ("overdue", "due", "quiet"):
        text.append(f"{day}  ", style="dim")
        text.append(pick(STRINGS, item.kind, lang), style=STYLES[item.kind])
        text.append("  ")
        text.append(item.code, style="bold")
        text.append("  ")
        text.append_text(safe_line(item.org_name, limit=40))
    elif item.kind == "more":
        text.append_text(safe_line(item.org_name, limit=40))
        text.append(": ")
        text.append(pick(STRINGS, f"more_{item.of}", lang, n=item.count), style="dim")
    elif item.kind == "retention":
        text.append_text(safe_line(item.org_name, limit=40))
        text.append(": ")
        text.append(pick(STRINGS, "retention", lang, n=item.count), style=STYLES["retention"])
    elif item.kind == "contract":
        text.append_text(safe_line(item.org_name, limit=40))
        text.append(": ")
        key = "contract_ended" if item.day and item.day < today else "contract"
        text.append(pick(STRINGS, key, lang, day=day), style="bold yellow")
    elif item.kind == "backup":
        key = "backup_never" if item.count < 0 else "backup_old"
        text.append(pick(STRINGS, key, lang, n=item.count), style="bold yellow")
    return text


class AgendaList(OptionList):
    """The agenda's lines; ``items[i]`` is the ``AgendaItem`` of option ``i``."""

    DEFAULT_CSS = """
    AgendaList { height: 1fr; margin: 0 1; border: round $primary-background; }
    AgendaList:focus { border: round $accent; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list = []

    def show(self, items: list, lang: str, today: date) -> None:
        self.items = list(items)
        highlighted = self.highlighted
        self.clear_options()
        if not self.items:
            self.add_option(
                Option(Text(pick(STRINGS, "nothing", lang), style="dim"), disabled=True)
            )
            return
        self.add_options(
            [Option(item_text(item, lang, today), id=str(i)) for i, item in enumerate(self.items)]
        )
        self.highlighted = 0 if highlighted is None else min(highlighted, len(self.items) - 1)


def open_agenda_item(app, item) -> None:
    """One keystroke from the agenda: the case, the retention review, the backup,
    or the hand-over export of an organisation whose appointment ends."""
    if not app._can_navigate():
        return
    if item.case_id is not None and item.org_id is not None:
        from vp_desk.tui.screens.case_view import CaseViewScreen

        app.current_org_id = item.org_id
        app.push_screen(CaseViewScreen(item.org_id, item.case_id, today=app.today))
    elif item.kind == "more" and item.org_id is not None:
        from vp_desk.tui.screens.cases import CaseListScreen

        app.current_org_id = item.org_id
        screen = CaseListScreen(item.org_id, today=app.today)
        if item.of in ("overdue", "due"):
            screen.sort = "follow_up"
        app.push_screen(screen)
    elif item.kind == "retention":
        app.action_retention()
    elif item.kind == "backup":
        app.action_backup()
    elif item.kind == "contract" and item.org_id is not None:
        from vp_desk.tui.dialogs.desk_tasks import handover_export

        app.current_org_id = item.org_id
        handover_export(app, item.org_id)
