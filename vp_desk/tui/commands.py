"""The command palette (ctrl+p): go anywhere, switch organisation.

Nothing is offered while the desk is locked. Organisation names are shown
literally: Textual's ``Matcher.highlight`` parses its input as markup, so the
highlighting is done here on plain ``Content``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from vp_desk.textsafe import clean_line
from vp_desk.tui.i18n import pick

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "org": ("Organisatie: {name}", "Organisation: {name}"),
    "org_help": ("Verder werken met deze organisatie", "Work on this organisation"),
    "switch": ("Organisatie kiezen", "Choose an organisation"),
    "dashboard": ("Overzicht", "Overview"),
    "cases": ("Casussen", "Cases"),
    "activities": ("Activiteiten", "Activities"),
    "report": ("Jaarverslag", "Annual report"),
    "hours": ("Uren en urenspecificatie", "Hours and invoice specification"),
    "settings": ("Instellingen", "Settings"),
    "retention": ("Bewaartermijnen", "Retention"),
    "audit": ("Audittrail", "Audit trail"),
    "import": ("Casussen importeren", "Import cases"),
    "backup": ("Backup maken", "Make a backup"),
    "portfolio": (
        "Portefeuille: alle organisaties per jaar",
        "Portfolio: all organisations by year",
    ),
    "new_org": ("Nieuwe organisatie", "New organisation"),
    "lock": ("Vergrendelen", "Lock"),
    "help": ("Hulp", "Help"),
    "quit": ("Afsluiten", "Quit"),
    "theme": ("Kleurenschema", "Colour theme"),
    "passphrase": ("Wachtzin wijzigen", "Change the passphrase"),
    "remove_org": (
        "Organisatie voorgoed wissen (huidige)",
        "Remove the current organisation for good",
    ),
    "handover_export": (
        "Overdracht exporteren (huidige organisatie)",
        "Hand-over export (current organisation)",
    ),
    "handover_import": ("Overdracht importeren", "Hand-over import"),
    "all_reports": (
        "Alle jaarverslagen schrijven (portefeuille)",
        "Write every annual report (portfolio)",
    ),
}

#: (string key, app action) in the order shown when nothing is typed.
ACTIONS = (
    ("switch", "switch_org"),
    ("dashboard", "dashboard"),
    ("cases", "cases"),
    ("activities", "activities"),
    ("report", "report"),
    ("hours", "hours"),
    ("settings", "settings"),
    ("retention", "retention"),
    ("audit", "audit"),
    ("import", "import_cases"),
    ("backup", "backup"),
    ("portfolio", "portfolio"),
    ("new_org", "new_org"),
    ("passphrase", "change_passphrase"),
    ("remove_org", "remove_org"),
    ("handover_export", "handover_export"),
    ("handover_import", "handover_import"),
    ("all_reports", "all_reports"),
    ("lock", "lock"),
    ("help", "help"),
    ("theme", "change_theme"),
    ("quit", "quit"),
)


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` literally, with the matched letters styled."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class DeskCommands(Provider):
    def _entries(self) -> list[tuple[str, Callable[[], object]]]:
        app = cast("VpDeskApp", self.app)
        if getattr(app, "desk", None) is None:
            return []
        lang = app.lang
        entries: list[tuple[str, Callable[[], object]]] = [
            (pick(STRINGS, key, lang), partial(app.run_action, action)) for key, action in ACTIONS
        ]
        try:
            orgs = app.unlocked_desk.organisations()
        except Exception:  # locked or damaged: offer the plain commands only
            orgs = []
        for org in orgs:
            name = clean_line(org.name)
            entries.append(
                (pick(STRINGS, "org", lang, name=name), partial(app.choose_organisation, org.id))
            )
        return entries

    async def discover(self) -> Hits:
        for title, command in self._entries():
            yield DiscoveryHit(Content(title), command, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), command, text=title)
