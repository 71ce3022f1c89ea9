"""The determination letter and the extension notice, from the templates in
``archiver/requests/templates`` (``string.Template``; they cite the sections and name those
responsible, Gov. Code § 7922.540(b))."""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources
from string import Template

from archiver.actors import Actor
from archiver.config import City
from archiver.requests.exemptions import Catalog
from archiver.requests.package.records import Production


def _template(name: str) -> Template:
    text = resources.files("archiver.requests").joinpath(f"templates/{name}.txt").read_text("utf-8")
    return Template(text)


def _common(production: Production, city: City, today: date) -> dict[str, str]:
    return {
        "city_name": city.name,
        "city_address": city.address,
        "date": today.strftime("%B %-d, %Y"),
        "requester_line": production.requester or "Requester",
        "salutation": production.requester or "Requester",
        "number": production.number,
        "received_on": production.received_on.isoformat(),
        "description": production.description,
    }


def determination_letter(
    production: Production, city: City, signer: Actor, catalog: Catalog, today: date
) -> str:
    released = sum(r.status == "released" for r in production.records)
    redacted = sum(r.status == "redacted" for r in production.records)
    withheld = len(production.withheld)
    counts = (
        f"{len(production.records)} responsive record(s) were identified: {released} released "
        f"in full, {redacted} released with redactions, {withheld} withheld in full."
    )
    by_basis = Counter((e.action, e.citation, e.title) for e in production.log)
    lines = []
    for (action, citation, title), count in sorted(by_basis.items()):
        lines.append(f"  - {count} {action} under {citation}: {title}.")
    notes = sorted({e.basis for e in production.log if e.basis})
    if lines:
        law = (
            "Gov. Code §§ 7922.540(c) and 7922.000"
            if production.law == "CPRA"
            else "5 U.S.C. § 552(b)"
        )
        withholding = "Records and portions of records were withheld as follows (" + law + "):\n"
        withholding += "\n".join(lines) + "\n"
        if notes:
            withholding += (
                "\nThe basis for these determinations:\n"
                + "\n".join(f"  - {n}" for n in notes)
                + "\n"
            )
    else:
        withholding = "No record or portion of a record was withheld.\n"
    people = production.responsible()
    responsible = (
        "The persons responsible for this determination to withhold are (Gov. Code "
        "§ 7922.540(b)):\n" + "\n".join(f"  - {n}, {t}" for n, t in people) + "\n"
        if people
        else ""
    )
    due = production.due_on
    timing = (
        f"The records are made available with this letter, on {today.isoformat()} "
        f"(determination due {due.isoformat()})."
    )
    values = _common(production, city, today) | {
        "timing": timing,
        "counts": counts,
        "withholding_section": withholding,
        "responsible_section": responsible,
        "signer_name": signer.name or signer.login,
        "signer_title": signer.title,
    }
    return _template(f"determination_{production.law}").substitute(values)


def extension_notice(production: Production, city: City, catalog: Catalog) -> str:
    extension = production.extension
    assert extension is not None
    ground = catalog.ground(production.law, extension.ground)
    law = "Gov. Code § 7922.535(b)" if production.law == "CPRA" else "5 U.S.C. § 552(a)(6)(B)"
    values = _common(production, city, extension.extended_at.date()) | {
        "previous_due_on": extension.previous_due_on.isoformat(),
        "new_due_on": extension.new_due_on.isoformat(),
        "law_citation": law,
        "ground_title": ground.title,
        "ground_citation": ground.citation,
        "notice_text": extension.notice_text,
        "signer_name": extension.signer_name,
        "signer_title": extension.signer_title,
    }
    return _template("extension_notice").substitute(values)
