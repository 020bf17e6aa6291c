"""The parts of a letter around its body, from the workspace: the organisation's contact lines,
logo and return line, the reference lines, the signatures with their images."""

from __future__ import annotations

from pathlib import Path

from appealkit.errors import TemplateError
from appealkit.render.document import Signature
from appealkit.rules.addresses import (
    address_country,
    address_form,
    address_style,
    country_line,
    name_line,
    postal_lines,
    title_line,
)
from appealkit.rules.language import REFERENCE_LABELS, SUBJECT_LABELS, base_language
from appealkit.source.campaign import signature_image_problem
from appealkit.source.paths import template_file as template_file_path
from appealkit.source.records import Person, Recipient, Signatory


def contact_lines(organisation: Person) -> tuple[str, ...]:
    """The sending organisation's address on one line, then phone, e-mail and website."""
    reach = " · ".join(x for x in (organisation.phone, organisation.email, organisation.website) if x)
    return tuple(x for x in (", ".join(organisation.address), reach) if x)


def address_block(language: str, recipient: Recipient, office: str,
                  address: tuple[str, ...], sender: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The recipient's address block in the usual style of the country it goes to and of the
    letter's language (the one home of it, for the DOCX, the PDF and the plain text): the German
    "Herrn" line, the UK's and France's postal lines, an institution's own style (F-67075
    Strasbourg Cedex) as given, a French letter's title line ("Monsieur le Ministre de …") in place
    of name and office, the country in capitals unless `sender` (the sender's postal address)
    is in the same country."""
    country = address_country(address)
    style = address_style(country, address)
    title = (title_line(language, office, recipient.honorific, recipient.gender)
             if _office_in(language, recipient) else "")
    people: tuple[str, ...]
    if title:
        people = (title,)
    else:
        people = (address_form(language, recipient.honorific, recipient.gender, country),
                  name_line(language, style, recipient.honorific, recipient.holder_name, recipient.gender),
                  office)
    postal = country_line(language, postal_lines(style, address), address_country(sender))
    return tuple(x for x in (*people, *postal) if x)


def addressee(recipient: Recipient, office: str) -> tuple[str, ...]:
    """Who the letter goes to in a line or two, for the bundle's index and bookmarks: honorific
    and name as the workspace gives them, and the office in the letter's language. Not the
    address block's first lines, which may be a form of address ("Herrn") or a title line."""
    return tuple(x for x in (recipient.holder, office) if x)


def _office_in(language: str, recipient: Recipient) -> bool:
    """Whether the recipient's office is written in `language` (its own, or a translation's): a
    French title line is never made of an English office ("Monsieur le President of …")."""
    base = base_language(language)
    return base_language(recipient.language) == base or any(
        words.office for code, words in recipient.translations.items() if base_language(code) == base)


def subject_label(language: str, subject: str) -> str:
    """The word before the subject in `language`'s letters ("Objet :"), "" without a subject."""
    return SUBJECT_LABELS.get(language, "") if subject else ""


def return_line(organisation: Person) -> str:
    """The sender in one line for the window of a DIN 5008 envelope: name and postal address."""
    return " · ".join(x for x in (organisation.name, *organisation.address) if x)


def reference_lines(language: str, ours: str, theirs: str) -> tuple[str, ...]:
    """"Our ref.: …" and "Your ref.: …" in the letter's language, each only when given."""
    our_label, their_label = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    return tuple(f"{label} {value}" for label, value in ((our_label, ours), (their_label, theirs)) if value)


def logo(root: Path, organisation: Person) -> bytes:
    """The organisation's logo, checked when people/ was loaded; gone since, it is an error."""
    path = template_file_path(root, organisation.logo) if organisation.logo else None
    if organisation.logo and path is None:
        raise TemplateError.at(organisation.where.file, organisation.where.line,
                               f"logo '{organisation.logo}' not found in templates/")
    return path.read_bytes() if path else b""


def signature(root: Path, signatory: Signatory, template_file: str) -> Signature:
    """A signatory with the bytes of their signature image, checked again (a translation may name one)."""
    if not signatory.image:
        return Signature(signatory.name, signatory.role)
    problem = signature_image_problem(root, signatory.image)
    path = template_file_path(root, signatory.image)
    if problem or path is None:
        message, hint = problem or (f"signature image '{signatory.image}' not found", "")
        raise TemplateError.at(template_file, None, message, hint)
    return Signature(signatory.name, signatory.role, path.read_bytes(), path.suffix.lower().lstrip("."))
