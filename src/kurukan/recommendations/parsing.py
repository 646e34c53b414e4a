"""Reading recommendation documents as they are published. Pure functions: text in, dataclasses out.

Two shapes:

- **UPR / UHRI tables** (CSV or XLSX): one row per recommendation, in the columns of UPR Info's database
  and of OHCHR's Universal Human Rights Index export. `COLUMN_ALIASES` lists which headers mean what, so
  that either export reads as it is; a row that cannot be used comes back with its problem (row number,
  column, what to do), never dropped.
- **Human Rights Council resolutions** as published (the English or French text, converted to Markdown or
  plain text): the preamble, then numbered operative paragraphs, each opening with an italic verb
  (*Strongly condemns*, *Calls upon*, *Décide*). A paragraph broken over two blocks by a page break is
  joined again; sub-paragraphs (a), (b) stay with their paragraph; footnote markers (¹ ² ³) are resolved to
  the document symbols of their footnotes.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kurukan.text import fold

# ------------------------------------------------------------------------------------------ UPR tables


class Response:
    SUPPORTED = "supported"
    SUPPORTED_IN_PART = "supported_in_part"
    NOTED = "noted"
    PENDING = "pending"


# Raw wordings seen in UPR Info, UHRI and the working-group reports, folded (accents and case ignored),
# matched by their beginning. Order matters: "supported in part" before "supported", "not supported"
# before "supported".
RESPONSE_WORDINGS: list[tuple[str, str]] = [
    ("partially supported", Response.SUPPORTED_IN_PART),
    ("supported in part", Response.SUPPORTED_IN_PART),
    ("supported partially", Response.SUPPORTED_IN_PART),
    ("partiellement acceptee", Response.SUPPORTED_IN_PART),
    ("acceptee en partie", Response.SUPPORTED_IN_PART),
    ("not supported", Response.NOTED),
    ("non acceptee", Response.NOTED),
    ("rejected", Response.NOTED),
    ("reject", Response.NOTED),
    ("noted", Response.NOTED),
    ("prise en note", Response.NOTED),
    ("notee", Response.NOTED),
    ("supported", Response.SUPPORTED),
    ("support", Response.SUPPORTED),
    ("accepted", Response.SUPPORTED),
    ("acceptee", Response.SUPPORTED),
    ("implemented", Response.SUPPORTED),
    ("pending", Response.PENDING),
    ("to be examined", Response.PENDING),
    ("consider", Response.PENDING),
    ("en attente", Response.PENDING),
    ("a examiner", Response.PENDING),
]

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "symbol": ("report_symbol", "symbol", "document symbol", "document", "report"),
    "paragraph": ("rec_number", "paragraph", "paragraph number", "recommendation number", "para"),
    "text": ("recommendation_text", "recommendation", "text", "recommendation text", "text_en"),
    "text_fr": ("text_fr", "texte", "recommandation", "texte (francais)"),
    "recommending": ("recommending_state", "recommending state", "recommending states", "state", "body"),
    "response": ("response", "position", "response category", "upr position"),
    "response_raw": ("response_raw", "response wording", "raw response"),
    "response_source": ("response_note", "response source", "response paragraph"),
    "cycle": ("cycle", "upr cycle"),
    "session": ("wg_session", "session", "working group session"),
    "date": ("review_date", "publication date", "date", "publication_date", "year"),
    "state_under_review": ("state_under_review", "state under review", "country"),
    "themes": ("themes", "issues", "theme", "issue"),
    "affected_groups": ("affected persons", "affected_groups", "groups", "affected group"),
    "sdgs": ("sdgs", "sdg", "sdg targets", "sustainable development goals"),
}
REQUIRED = ("symbol", "paragraph", "text")


@dataclass
class RowProblem:
    row: int
    column: str
    value: str
    message_fr: str
    message_en: str
    whole_file: bool = False  # the file cannot be read at all: nothing is imported


@dataclass
class RecommendationRow:
    row: int
    symbol: str
    paragraph: str
    text: str
    text_fr: str = ""
    recommending: str = ""
    response: str = Response.PENDING
    response_raw: str = ""
    response_source: str = ""
    cycle: int | None = None
    session: str = ""
    date: str = ""
    themes: list[str] = field(default_factory=list)
    affected_groups: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)


def _key(header: str) -> str:
    return " ".join(fold(header).replace("_", " ").split())


def header_map(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column name → index for the columns we know; and the problems with the header itself."""
    problems: list[str] = []
    folded = [_key(h) for h in headers]
    seen: dict[str, int] = {}
    for index, name in enumerate(folded):
        if name in seen and name:
            problems.append(
                f"column {headers[index]!r} appears twice (columns {seen[name] + 1} and {index + 1})"
            )
        seen.setdefault(name, index)
    found: dict[str, int] = {}
    for target, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if _key(alias) in seen:
                found[target] = seen[_key(alias)]
                break
    return found, problems


def normalise_response(value: str) -> str | None:
    folded = " ".join(fold(value).replace("/", " ").replace(":", " ").split())
    if not folded:
        return Response.PENDING
    for wording, response in RESPONSE_WORDINGS:
        if folded.startswith(wording):
            return response
    return None


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|\n]", value) if part.strip()]


def _looks_broken(text: str) -> bool:
    """Replacement characters, or mojibake: UTF-8 bytes decoded as Windows-1252 somewhere ("Ã‰thiopie"),
    recognised because encoding back to Windows-1252 gives valid, different UTF-8."""
    if "\ufffd" in text:
        return True
    try:
        return text.encode("cp1252").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def read_table_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cells) for a CSV (any common encoding/separator) or XLSX."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        for number, cells in enumerate(sheet.to_python(), start=1):
            yield number, ["" if c is None else str(c) for c in cells]
        return
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield number, cells


def parse_recommendation_table(
    rows: Iterable[tuple[int, list[str]]],
) -> Iterator[RecommendationRow | RowProblem]:
    """Recommendations, or one problem per unusable row. The header is the first non-empty row."""
    iterator = iter(rows)
    headers: list[str] | None = None
    for number, cells in iterator:
        if any(c.strip() for c in cells):
            headers = [c.strip() for c in cells]
            header_row = number
            break
    if headers is None:
        yield RowProblem(1, "", "", "Le fichier est vide.", "The file is empty.", whole_file=True)
        return
    columns, header_problems = header_map(headers)
    for problem in header_problems:
        yield RowProblem(header_row, "", "", f"En-tête : {problem}.", f"Header: {problem}.", whole_file=True)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        expected = ", ".join(COLUMN_ALIASES[name][0] for name in missing)
        yield RowProblem(
            header_row,
            expected,
            "",
            f"Colonnes manquantes : {expected}. Ajoutez-les (voir le modèle à télécharger).",
            f"Missing columns: {expected}. Add them (see the downloadable template).",
            whole_file=True,
        )
        return
    for number, cells in iterator:
        if not any(c.strip() for c in cells):
            continue
        yield _row(number, cells, headers, columns)


def _row(
    number: int, cells: list[str], headers: list[str], columns: dict[str, int]
) -> RecommendationRow | RowProblem:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    raw = {headers[i]: cells[i] for i in range(min(len(headers), len(cells)))}
    if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
        return RowProblem(
            number,
            "",
            "",
            f"Ligne {number} : {len(cells)} cellules pour {len(headers)} colonnes. Vérifiez les séparateurs et les guillemets.",
            f"Row {number}: {len(cells)} cells for {len(headers)} columns. Check the separators and quotes.",
        )
    text = cell("text") or cell("text_fr")
    paragraph, text_en, text_fr = _numbering(cell("paragraph"), cell("text"), cell("text_fr"))
    for name, value in (("text", text), ("symbol", cell("symbol")), ("paragraph", paragraph)):
        if not value:
            column = headers[columns[name]] if name in columns else name
            return RowProblem(
                number,
                column,
                "",
                f"Ligne {number}, colonne « {column} » : vide. Saisissez {_WHAT_FR[name]}.",
                f"Row {number}, column '{column}': empty. Enter {_WHAT_EN[name]}.",
            )
    for name in ("text", "text_fr", "recommending"):
        if _looks_broken(cell(name)):
            column = headers[columns[name]]
            return RowProblem(
                number,
                column,
                cell(name)[:80],
                f"Ligne {number}, colonne « {column} » : caractères illisibles (mauvais encodage). "
                "Enregistrez le fichier en UTF-8 et importez-le de nouveau.",
                f"Row {number}, column '{column}': unreadable characters (wrong encoding). "
                "Save the file as UTF-8 and import it again.",
            )
    response_text = cell("response")
    response = normalise_response(response_text)
    if response is None:
        column = headers[columns["response"]]
        return RowProblem(
            number,
            column,
            response_text,
            f"Ligne {number}, colonne « {column} » : réponse « {response_text} » inconnue. "
            "Valeurs possibles : supported, supported in part, noted, pending (ou acceptée, notée, en attente).",
            f"Row {number}, column '{column}': unknown response '{response_text}'. "
            "Allowed: supported, supported in part, noted, pending.",
        )
    cycle_text = cell("cycle")
    cycle = int(cycle_text) if cycle_text.isdigit() else None
    return RecommendationRow(
        row=number,
        symbol=cell("symbol"),
        paragraph=paragraph,
        text=text_en,
        text_fr=text_fr,
        recommending=cell("recommending"),
        response=response,
        response_raw=cell("response_raw") or response_text,
        response_source=cell("response_source"),
        cycle=cycle,
        session=cell("session"),
        date=cell("date"),
        themes=_split_list(cell("themes")),
        affected_groups=_split_list(cell("affected_groups")),
        sdgs=_split_list(cell("sdgs")),
        raw=raw,
    )


SUB_NUMBER = re.compile(r"^\.(\d+(?:\.\d+)*)\s+")
FULL_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.(?:\s*(\d+)\b)?\s+")


def _numbering(paragraph: str, text_en: str, text_fr: str) -> tuple[str, str, str]:
    """Tables copied from working-group reports often carry the numbering inside the text: ".3 Abolish…"
    under paragraph 112.5 is 112.5.3; "111. 29 Strengthen…" with no paragraph is 111.29. The number moves
    to the paragraph and leaves the text."""
    text = text_en or text_fr
    sub = SUB_NUMBER.match(text)
    if sub and paragraph:
        paragraph, text = f"{paragraph}.{sub.group(1)}", text[sub.end() :]
    elif not paragraph and (full := FULL_NUMBER.match(text)):
        paragraph = full.group(1) + (f".{full.group(2)}" if full.group(2) else "")
        text = text[full.end() :]
    return (paragraph, text, text_fr) if text_en else (paragraph, "", text)


_WHAT_FR = {"text": "le texte de la recommandation", "symbol": "la cote du document (ex. A/HRC/23/6)",
            "paragraph": "le numéro de paragraphe"}  # fmt: skip
_WHAT_EN = {"text": "the recommendation's text", "symbol": "the document symbol (e.g. A/HRC/23/6)",
            "paragraph": "the paragraph number"}  # fmt: skip

# ----------------------------------------------------------------------------------------- resolutions

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = {ch: str(i) for i, ch in enumerate(SUPERSCRIPTS)}
SYMBOL = re.compile(r"\b(?:A/HRC/(?:RES/)?\d+/\d+(?:/Add\.\d+)?|A/HRC/WG\.6/\d+/[A-Z]{3}/\d|A/RES/\d+/\d+|"
                    r"S/AC\.\d+/\d{4}/\d+|S/RES/\d+ \(\d{4}\)|S/\d{4}/\d+|CRC/C/[A-Z]{3}/CO/\d(?:-\d)?)")  # fmt: skip
RESOLUTION_REFERENCE = re.compile(
    r"\b(?:Security Council |General Assembly )?resolutions? (\d{2,4}(?:/\d+)?)(?: \((\d{4})\))?"
)
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(.*)$", re.S)
SUBPARAGRAPH = re.compile(r"^\s*\(([a-z]|[ivx]+)\)\s+")
FOOTNOTE = re.compile(rf"^\s*([{SUPERSCRIPTS}]+|\[\^?\d+\]:?)\s*(.*)$")
ITALIC_VERB = re.compile(r"^\s*(?:\*(?!\*)|_(?!_))([^*_]+?)[*_]\s*(.*)$", re.S)  # *italics*, never **bold**
COUNCIL = re.compile(r"^(?:The Human Rights Council|Le Conseil des droits de l'homme),?$")

# Who a paragraph speaks to, in the wordings the Council uses (English and French). Code → patterns.
ADDRESSEES: dict[str, tuple[str, ...]] = {
    "malian_authorities": (r"malian transitional authorities", r"transitional authorities", r"transitional government of mali",
                           r"government of mali", r"malian authorities", r"autorites (?:maliennes|de transition)",
                           r"gouvernement (?:de transition )?du mali"),
    "all_parties": (r"all parties", r"toutes les parties", r"malian parties", r"all signatories"),
    "international_community": (r"international community", r"communaute internationale", r"partners", r"partenaires"),
    "independent_expert": (r"independent expert", r"expert independant"),
    "ohchr": (r"office of the united nations high commissioner", r"high commissioner for human rights", r"\bohchr\b",
              r"haut-commissariat", r"haut-commissaire"),
    "secretary_general": (r"secretary-general", r"secretaire general"),
    "minusma": (r"multidimensional integrated stabilization mission", r"\bminusma\b"),
    "regional_actors": (r"regional and international actors", r"african union", r"economic community of west african states"),
}  # fmt: skip

# Violation types a paragraph names, by the words the Council uses. Code → patterns (folded text).
VIOLATION_WORDS: dict[str, tuple[str, ...]] = {
    "life.summary_execution": (r"summary executions?", r"extrajudicial", r"executions? sommaires?", r"extrajudiciaires?"),
    "liberty.enforced_disappearance": (r"enforced disappearances?", r"disparitions? forcees?"),
    "liberty.arbitrary_detention": (r"arbitrary arrests?", r"arbitrary detention", r"detentions? arbitraires?",
                                    r"arrestations? arbitraires?"),
    "integrity.torture": (r"torture", r"mistreatment", r"ill-treatment", r"mauvais traitements"),
    "integrity.maiming": (r"killing and maiming", r"maiming", r"mutilations?"),
    "life.killing_civilians": (r"killing and maiming", r"attacks on (?:the )?civilian", r"attacks?, including terrorist attacks, on civilians",
                               r"meurtres?"),
    "protected.attack_school": (r"attacks on schools", r"against schools", r"schools closed", r"attaques contre des ecoles"),
    "protected.attack_hospital": (r"(?:schools and )?hospitals", r"hopitaux"),
    "children.recruitment_use": (r"recruitment and use of children", r"recrutement et (?:l')?utilisation d'enfants"),
    "sexual": (r"sexual and gender-based violence", r"sexual violence", r"violences? sexuelles?"),
    "humanitarian.denial_access": (r"humanitarian access", r"acces humanitaire"),
    "humanitarian.attack_personnel": (r"attacks on humanitarian personnel", r"personnel humanitaire"),
    "liberty.descent_slavery": (r"descent-based slavery", r"combat slavery", r"esclavage par ascendance"),
}  # fmt: skip


@dataclass
class OperativeParagraph:
    number: str
    verb: str
    text: str
    addressees: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    violation_types: list[str] = field(default_factory=list)
    subparagraphs: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    symbol: str
    title: str
    adopted: str
    language: str
    preamble: list[str]
    paragraphs: list[OperativeParagraph]
    footnotes: dict[str, str]


def _blocks(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _footnote_marks(text: str) -> list[str]:
    return ["".join(_SUPER_TO_DIGIT[c] for c in mark) for mark in re.findall(rf"[{SUPERSCRIPTS}]+", text)]


def _symbols(text: str) -> list[str]:
    found = [m.group(0) for m in SYMBOL.finditer(text)]
    return list(dict.fromkeys(found))


def _compiled(patterns: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    """Patterns are written in natural spelling and compared folded (accents, case, hyphens ignored)."""
    return {code: re.compile("|".join(f"(?:{fold(w)})" for w in words)) for code, words in patterns.items()}


def _matches(patterns: dict[str, re.Pattern[str]], text: str) -> list[str]:
    folded = fold(text)
    return [code for code, pattern in patterns.items() if pattern.search(folded)]


_ADDRESSEES = _compiled(ADDRESSEES)
_VIOLATION_WORDS = _compiled(VIOLATION_WORDS)

# The verbs that address someone inside a paragraph ("…, and urges the transitional authorities to …").
ADDRESSING = re.compile(
    fold(
        r"\b(?:calls upon|calls on|requests|urges|encourages|invites|appeals to|demande|prie|exhorte|engage|encourage|invite)\b"
    )
)


def _addressees(body: str, verb: str) -> list[str]:
    """Who the paragraph asks something of: the noun phrase right after each addressing verb (up to the
    infinitive that says what is asked), "them" resolved to the last one named before it; a paragraph
    that *decides* speaks for the Council itself."""
    folded = fold(body)
    found: list[str] = ["council"] if re.match(r"(?:also )?decides?\b|(?:also )?decide\b", fold(verb)) else []
    for match in ADDRESSING.finditer(folded):
        window = re.split(r"\bto\b|\ba\b(?= \w+er)|,", folded[match.end() : match.end() + 160])[0]
        hits = _matches(_ADDRESSEES, window)
        if not hits and re.match(r"\s*(?:them|les)\b", window):
            before = folded[: match.start()]
            named = [(m.start(), code) for code, p in _ADDRESSEES.items() for m in p.finditer(before)]
            hits = [max(named)[1]] if named else []
        found += [h for h in hits if h not in found]
    return found


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((";", ".", ":", "»", '"')) or text.rstrip().endswith(".]")


def _title(blocks: list[str]) -> tuple[str, str, str]:
    """(symbol, title, adoption date) from the heading blocks, where the converted text keeps them."""
    head = " ".join(blocks[:12])
    match = re.search(r"(\d{2}/\d{1,3})\.\s*([^*\n]+)", head)
    symbol = f"A/HRC/RES/{match.group(1)}" if match else ""
    title = match.group(2).strip(" *") if match else ""
    adopted = re.search(
        r"(?:adopted by the Human Rights Council on|adoptée par le Conseil .*? le) ([^*\n]+?\d{4})", head
    )
    return symbol, title, adopted.group(1).strip() if adopted else ""


def parse_resolution(text: str) -> Resolution:
    """Preamble, numbered operative paragraphs (or, in a text without numbers, every paragraph opening with
    an italic verb after the preamble), footnotes and what each paragraph cites, asks and names."""
    blocks = _blocks(text)
    language = "fr" if re.search(r"\b(?:Le Conseil des droits de l'homme|Décide|Prie)\b", text) else "en"
    footnotes: dict[str, str] = {}
    paragraphs: list[OperativeParagraph] = []
    preamble: list[str] = []
    current: OperativeParagraph | None = None
    opened = False  # past "The Human Rights Council,": where an unnumbered text's paragraphs may start
    for block in blocks:
        opened = opened or bool(COUNCIL.match(block))
        note = FOOTNOTE.match(block)
        if note and not NUMBERED.match(block):
            mark = "".join(_SUPER_TO_DIGIT.get(c, c) for c in note.group(1).strip("[]^:"))
            footnotes[mark] = note.group(2)
            continue
        numbered = NUMBERED.match(block)
        body = numbered.group(2) if numbered else block
        verb = _verb(body)
        if numbered and verb:
            current = OperativeParagraph(number=numbered.group(1), verb=verb, text=block)
            paragraphs.append(current)
        elif (
            not numbered
            and opened
            and verb
            and _operative(verb)
            and (current is None or _ends_sentence(current.text))
        ):
            # An unnumbered text: every paragraph opening with an operative verb is one, numbered in order.
            current = OperativeParagraph(number=str(len(paragraphs) + 1), verb=verb, text=block)
            paragraphs.append(current)
        elif current is not None and SUBPARAGRAPH.match(block):
            current.subparagraphs.append(block)
            current.text += "\n" + block
        elif current is not None and CLOSING.match(block):
            continue  # the closing lines: meeting, date, "[Adopted without a vote.]"
        elif current is not None and not _ends_sentence(current.text):
            current.text += " " + block  # a paragraph broken by a page break goes on in the next block
        elif not paragraphs:
            preamble.append(block)
    for paragraph in paragraphs:
        cited = _symbols(paragraph.text)
        for mark in _footnote_marks(paragraph.text):
            cited += [s for s in _symbols(footnotes.get(mark, "")) if s not in cited]
        cited += [f"resolution {m.group(1)}" + (f" ({m.group(2)})" if m.group(2) else "")
                  for m in RESOLUTION_REFERENCE.finditer(paragraph.text)]  # fmt: skip
        paragraph.documents = list(dict.fromkeys(cited))
        body = re.sub(r"^\s*\d{1,3}\s*[.)]\s*", "", paragraph.text)
        paragraph.addressees = _addressees(body.replace("*", "").replace("_", " "), paragraph.verb)
        paragraph.violation_types = _matches(_VIOLATION_WORDS, body)
    symbol, title, adopted = _title(blocks)
    return Resolution(symbol, title, adopted, language, _preamble(preamble), paragraphs, footnotes)


CLOSING = re.compile(r"^(?:\d+(?:st|nd|rd|th|e|re) (?:meeting|séance)|\[|\d{1,2}(?:er)? \w+ \d{4}$)", re.I)

# Operative paragraphs open with a verb in the present tense (Condemns, Calls upon, Décide, Prie);
# preambular ones with a participle or an adjective (Recalling, Deeply concerned, Rappelant, Préoccupé).
PREAMBULAR = re.compile(r"^(?:\w+ly |vivement |profondément |très )?\w+(?:ing|ed|ant|é|ée|és|ées)\b", re.I)
KNOWN_VERBS = re.compile(
    r"^((?:(?:also|further|again|strongly|firmly|once again|aussi|également|en outre|énergiquement|fermement|vivement) )*"
    r"(?:condemns|calls upon|calls on|calls for|requests|decides|urges|encourages|invites|welcomes|notes|recalls|"
    r"reiterates|commends|reaffirms|stresses|underlines|emphasizes|takes note|expresses|acknowledges|"
    r"condamne|demande|prie|décide|exhorte|engage|encourage|invite|salue|se félicite|note|prend note|rappelle|"
    r"réaffirme|souligne|insiste|réitère|exprime)(?: with (?:satisfaction|concern|appreciation))?)\b",
    re.I,
)


def _verb(body: str) -> str:
    """The paragraph's opening verb: its italics where the text keeps them, else a known operative verb."""
    italic = ITALIC_VERB.match(body)
    if italic:
        return _clean_verb(italic.group(1))
    known = KNOWN_VERBS.match(body)
    return known.group(1)[:1].upper() + known.group(1)[1:] if known else ""


def _operative(verb: str) -> bool:
    return not PREAMBULAR.match(verb) or bool(KNOWN_VERBS.match(verb))


def _preamble(blocks: list[str]) -> list[str]:
    start = next((i + 1 for i, b in enumerate(blocks) if COUNCIL.match(b)), 0)
    return blocks[start:]


def plain_text(paragraph: str) -> str:
    """A paragraph as a reader quotes it: without its number (kept apart) or Markdown emphasis."""
    text = NUMBERED.sub(r"\2", paragraph, count=1)
    return re.sub(r"(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)", "", text).strip()


def _clean_verb(verb: str) -> str:
    return " ".join(verb.replace("*", "").replace("_", "").split()).rstrip(",")
