"""Reading a tagged PDF's structure back with pypdf, as assistive technology would: which text is
marked as an artifact, and which hangs off the structure tree, under which tags."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class Node:
    tag: str
    attributes: dict
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)

    def find(self, tag: str) -> list[Node]:
        found = [self] if self.tag == tag else []
        for child in self.children:
            found.extend(child.find(tag))
        return found


@dataclass(frozen=True)
class Run:
    page: int
    tag: str  # the innermost marked-content tag: /Span, /Artifact, ...
    mcid: int | None
    text: str


def marked_text(pdf: bytes) -> list[Run]:
    """Every piece of text drawn, with the marked content it is drawn inside."""
    runs: list[Run] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        stack: list[tuple[str, int | None]] = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if len(operands) > 1 and isinstance(operands[1], dict) else {}
                stack.append((str(operands[0]), properties.get("/MCID")))
            elif operator == b"EMC":
                stack.pop()

        def text(content, cm, tm, font, size, stack=stack, number=number):
            if content.strip():
                tag, mcid = stack[-1] if stack else ("", None)
                runs.append(Run(number, tag, mcid, content))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs


def structure(pdf: bytes) -> Node:
    """The structure tree from its root, with each element's own marked text attached."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    texts: dict[tuple[int, int], str] = {}
    for run in marked_text(pdf):
        if run.mcid is not None:
            texts[(run.page, run.mcid)] = texts.get((run.page, run.mcid), "") + run.text

    def build(element, page: int | None) -> Node:
        element = element.get_object()
        if "/Pg" in element:
            page = pages[element.raw_get("/Pg").idnum]
        node = Node(
            tag=str(element.get("/S", "")),
            attributes={key: element[key] for key in ("/ID", "/A") if key in element},
        )
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject | DictionaryObject) and "/S" in kid.get_object():
                node.children.append(build(kid, page))
            elif isinstance(kid, int):
                node.text += texts.get((page, int(kid)), "")
        return node

    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    return build(root, None) if "/S" in root else Node("Root", {}, [build(k, None) for k in root["/K"]])


def reachable_mcids(pdf: bytes) -> set[tuple[int, int]]:
    """(page, MCID) of every piece of marked content the structure tree reaches."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    found: set[tuple[int, int]] = set()

    def walk(element, page: int | None) -> None:
        element = element.get_object()
        if "/Pg" in element:
            page = pages[element.raw_get("/Pg").idnum]
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, int):
                found.add((page, int(kid)))
            elif "/S" in kid.get_object():
                walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found


def content_text(pdf: bytes) -> str:
    """The document's text in reading order without its page furniture (whatever is marked as an
    artifact), spacing removed: text extraction may split a word at a kerning pair."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for run in marked_text(pdf):
        if run.tag == "/Artifact":
            text = text.replace(run.text, "", 1)
    return "".join(text.split())
