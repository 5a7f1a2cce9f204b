"""Words of the annual report in Dutch and English.

``s(key, lang, **params)`` picks and formats one. Labels of codes come from
``vp_desk.vocabulary``; only report-specific words live here.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Jaarverslag vertrouwenspersoon", "Annual report of the confidential adviser"),
    "subtitle": ("{organisation}, {year}", "{organisation}, {year}"),
    "key_figures": ("Kerncijfers", "Key figures"),
    "organisation": ("Organisatie", "Organisation"),
    "year": ("Jaar", "Year"),
    "adviser": ("Vertrouwenspersoon", "Confidential adviser"),
    "adviser_internal": ("intern", "internal"),
    "adviser_external": ("extern", "external"),
    "employees": ("Aantal medewerkers", "Number of employees"),
    "new_cases": ("Nieuwe meldingen", "New cases"),
    "open_at_year_end": ("Lopend aan het eind van het jaar", "Open at the end of the year"),
    "consultations": ("Contactmomenten", "Contact moments"),
    "contacts_per_100": ("Meldingen per 100 medewerkers", "Cases per 100 employees"),
    "hours_cases": ("Uren aan meldingen", "Hours on cases"),
    "hours_activities": (
        "Uren aan preventie en andere activiteiten",
        "Hours on prevention and other activities",
    ),
    "hours_total": ("Uren totaal", "Hours in total"),
    "hours_agreed": ("Uren t.o.v. aanstelling", "Hours against the appointment"),
    "hours_of_agreed": ("{hours} van {agreed} afgesproken", "{hours} of {agreed} agreed"),
    "fewer_than": ("minder dan {k}", "fewer than {k}"),
    "not_published": ("niet gepubliceerd", "not published"),
    "withheld": ("niet opnieuw gepubliceerd", "not published again"),
    "figure": ("Onderwerp", "Item"),
    "value": ("Waarde", "Value"),
    "count": ("Aantal", "Count"),
    "category": ("Categorie", "Category"),
    "minutes": ("Minuten", "Minutes"),
    "hours": ("Uren", "Hours"),
    "total": ("Totaal", "Total"),
    "tables": ("Meldingen uitgesplitst", "Cases broken down"),
    "no_breakdown": (
        "Er is geen uitsplitsing van de meldingen: daarvoor waren er te weinig.",
        "There is no breakdown of the cases: there were too few for that.",
    ),
    "activities": ("Preventie en andere activiteiten", "Prevention and other activities"),
    "activity": ("Activiteit", "Activity"),
    "no_activities": ("Geen activiteiten vastgelegd.", "No activities recorded."),
    "signals": ("Signalen", "Signals"),
    "recommendations": ("Aanbevelingen", "Recommendations"),
    "no_text": ("(geen)", "(none)"),
    "protection": ("Bescherming van kleine aantallen", "How small numbers were protected"),
    "merged_label": ("Alle categorieën samen", "All categories combined"),
    "merged_members": ("bestaat uit: {members}", "consists of: {members}"),
    "none_label": ("Niet vastgelegd", "Not recorded"),
    "none_outcome": ("Nog lopend of niet vastgelegd", "Ongoing or not recorded"),
    "quarter_label": ("Kwartaal {q}", "Quarter {q}"),
    "multi_hint": (
        "Een melding kan in meer rijen voorkomen.",
        "A case can appear in more than one row.",
    ),
    "generated": ("Opgesteld op {date}", "Drawn up on {date}"),
    "chart_alt": ("Staafdiagram: {title}", "Bar chart: {title}"),
    "csv_table": ("tabel", "table"),
    # notes on disclosure control ------------------------------------------------------
    "note_threshold": (
        "Aantallen van 1 tot en met {km1} staan er als 'minder dan {k}': zo is niemand "
        "herkenbaar. Een 0 betekent echt geen enkele melding.",
        "Counts from 1 to {km1} are shown as 'fewer than {k}', so that nobody can be "
        "recognised. A 0 means there was no case at all.",
    ),
    "note_small_org": (
        "Er waren minder dan {k} nieuwe meldingen. Daarom staat er geen uitsplitsing in dit "
        "verslag, alleen het preventiewerk, de uren en de aanbevelingen.",
        "There were fewer than {k} new cases. This report therefore has no breakdown, only "
        "the prevention work, the hours and the recommendations.",
    ),
    "note_secondary": (
        "Ook uit optellen en aftrekken van de gepubliceerde getallen is geen klein aantal af "
        "te leiden; waar dat wel kon, zijn categorieën samengevoegd.",
        "No small count can be worked out by adding up or subtracting the published numbers; "
        "where that was possible, categories were combined.",
    ),
    "note_merged": (
        "{table}: niet uitgesplitst, omdat een klein aantal anders af te leiden zou zijn uit de "
        "andere getallen; alle categorieën staan samen.",
        "{table}: not broken down, because a small count could otherwise be worked out from "
        "the other numbers; all categories are combined.",
    ),
    "note_quarters": (
        "Een uitsplitsing naar kwartaal staat er alleen in als elk kwartaal ten minste {k} "
        "meldingen telt.",
        "A breakdown by quarter is only given when every quarter has at least {k} cases.",
    ),
    "note_multi": (
        "Bij hulp en doorverwijzingen kan één melding meerdere keren voorkomen; deze tabellen "
        "tellen daarom niet op tot het aantal meldingen.",
        "A case can have several kinds of help and referrals, so those tables do not add up "
        "to the number of cases.",
    ),
    "note_hours": (
        "Uren zijn afgerond op halve uren. Uren zeggen niets over het aantal personen.",
        "Hours are rounded to half hours. Hours say nothing about the number of people.",
    ),
    "note_withheld": (
        "Na het verslag van {issued} zijn enkele gegevens over meldingen gewijzigd. Omdat de "
        "verschillen minder dan {k} meldingen betreffen, worden de cijfers over meldingen niet "
        "opnieuw gepubliceerd; de cijfers uit dat verslag blijven gelden.",
        "Some case data changed after the report of {issued}. Because the differences concern "
        "fewer than {k} cases, the case figures are not published again; the figures of that "
        "report stand.",
    ),
    # hours for invoicing ------------------------------------------------------------------
    "hours_title": ("Uren {organisation}", "Hours {organisation}"),
    "hours_period": ("Periode {start} tot en met {end}", "Period {start} to {end}"),
    "hours_cases_row": ("Meldingen (contactmomenten)", "Cases (contact moments)"),
    "number": ("Aantal", "Number"),
    # portfolio ------------------------------------------------------------------------
    "portfolio": ("Portefeuille (alleen voor uzelf)", "Portfolio (for your own use only)"),
}


def s(key: str, lang: str, **params: object) -> str:
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "nl" else pair[1]
    return text.format(**params) if params else text


def fewer_than(k: int, lang: str) -> str:
    return s("fewer_than", lang, k=k)


def hours_text(hours: float | None, lang: str) -> str:
    """Hours with one decimal, a decimal comma in Dutch."""
    if hours is None:
        return s("not_published", lang)
    text = f"{hours:,.1f}"
    if lang == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def number_text(value: float | int, lang: str, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text
