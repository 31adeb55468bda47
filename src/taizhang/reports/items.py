"""Tasks (plan parts) and problems (problem parts and passages) — PARSE.md §5, §6."""

from __future__ import annotations

from .enumerators import find_parallel, find_runins, runin_head, split_parallel, split_runins, strip_item
from .lazyre import lazy
from .model import Item, Role
from .roles import is_label, names_part
from .structure import Node, Para

# A paragraph that introduces problems outside a problem section: `虽然…取得了一些成绩…但…差距`.
# Every alternative opens with a literal character: the search then tests only those at each
# position and tries the pattern at candidates (a leading lookahead or group costs the whole
# pattern at every position, nearly three times as slow).
_INTRO_BUT = r".{0,120}(?:但|仍|还).{0,80}(?:问题|不足|差距|短板|困难|薄弱|弱项)"
_INTRO_FACING = r"(?:的|着)?(?:一些|以下|如下|不少)?(?:问题|不足|困难|短板)"
_PROBLEM_INTRO = lazy(
    rf"虽然{_INTRO_BUT}|虽{_INTRO_BUT}|尽管{_INTRO_BUT}|存在{_INTRO_FACING}|面临{_INTRO_FACING}"
    r"|不足之处|差距和不足|主要(?:体现|表现)(?:在|为)"
)
_INTRO_END = lazy(r"[：:]\s*$|(?:如下|以下|主要(?:体现|表现)(?:在|为))[：:。]?\s*$")
_SENTENCE_END = "。！？!?”"


def _join(head: str, tail: str) -> str:
    if not head:
        return tail
    if not tail:
        return head
    return head + ("" if head[-1] in _SENTENCE_END + "；;：:" else "。") + tail


def _enumerated(text: str, first_in_block: bool, para: Para | None = None) -> list[str]:
    runins = para.runins(not first_in_block) if para else find_runins(text, allow_continue=not first_in_block)
    return _without_summing_up(split_runins(text, runins)) if runins else []


def _items_of_paragraph(p: Para, path: list[str], cont: bool) -> list[Item]:
    runins = p.runins(cont)
    return [Item(p.line, t, path) for t in _without_summing_up(split_runins(p.text, runins)) if t]


def _without_summing_up(items: list[str]) -> list[str]:
    """The last item loses a closing sentence that sums the list up (`…。以上问题，我们将…`)."""
    if items:
        last = items[-1]
        for m in _SENTENCE_STOP.finditer(last):
            if _SUMMING_UP.match(last, m.end()):
                items[-1] = last[: m.end()]
                break
    return items


_SENTENCE_STOP = lazy(r"[。！？!?；;]")


def is_problem_intro(text: str) -> bool:
    return bool(_PROBLEM_INTRO.search(text))


def collect(root: Node, role: Role, nodes: list[Node] | None = None) -> list[Item]:
    """Items of every section with `role`, plus (for problems) un-headed problem passages. `nodes`
    is `root.walk()` if the caller has it."""
    out: list[Item] = []
    for node in root.walk() if nodes is None else nodes:
        section = node.section
        if section is not None and section.role == role:
            out.extend(_section_items(node, role))
        elif role == "problem":
            out.extend(_passage_problems(node))
    out.sort(key=lambda it: it.line)
    return out


def _problem_passage_spans(node: Node) -> set[int]:
    """Lines of paragraphs under `node` that belong to a problem passage (intro + its list)."""
    if node.passage_lines is None:
        node.passage_lines = _find_passage_lines(node)
    return node.passage_lines


def _find_passage_lines(node: Node) -> set[int]:
    lines: set[int] = set()
    paras = node.paras
    i = 0
    while i < len(paras):
        p = paras[i]
        if is_problem_intro(p.text):
            runins = p.runins()
            intro_len = len(p.text)
            if runins:
                intro_len = runins[0].start
            if is_problem_intro(p.text[:intro_len]) and runins:
                lines.add(p.line)
            elif not runins:
                j = i + 1
                while j < len(paras) and (following := paras[j].runins()) and following[0].start == 0:
                    lines.add(p.line)
                    lines.add(paras[j].line)
                    j += 1
                i = j
                continue
        i += 1
    return lines


def _passage_problems(node: Node) -> list[Item]:
    spans = _problem_passage_spans(node)
    out: list[Item] = []
    if not spans:
        return out
    path = node.path()
    for p in node.paras:
        if p.line in spans:
            out.extend(_items_of_paragraph(p, path, cont=False))
    return out


def _section_items(node: Node, role: Role) -> list[Item]:
    assert node.section is not None
    path_self = node.path()
    path_parent = path_self[:-1]
    skip = _problem_passage_spans(node) if role == "plan" else set()
    paras = [p for p in node.paras if p.line not in skip]
    out: list[Item] = []
    line = node.section.line

    body_items = _enumerated(node.body, True) if node.body else []
    enumerated_paras: list[tuple[Para, list[str]]] = []
    plain: list[Para] = []
    after_list: list[Para] = []  # plain paragraphs that follow an enumerated list
    prev_enum = bool(body_items)
    for p in paras:
        items = _enumerated(p.text, first_in_block=not prev_enum, para=p)
        if items:
            enumerated_paras.append((p, items))
            prev_enum = True
        else:
            plain.append(p)
            if body_items or enumerated_paras:
                after_list.append(p)
            prev_enum = False
    has_enum = bool(body_items or enumerated_paras)
    label = _is_label(node)

    if body_items:
        out.extend(Item(line, t, path_self) for t in body_items if t)
    elif node.body and not label:
        # A run-in head with a plain body is one task (or one per parallel item: `（一）稳粮。…扩经。…`);
        # a paragraph broken mid-sentence continues it.
        text = node.full
        while plain and text[-1:] not in _SENTENCE_END + "；;" and not node.children:
            text += plain.pop(0).text
        if find_parallel(node.full):
            out.extend(Item(line, t, path_parent) for t in _parallel_items(text))
        elif find_parallel(node.body):
            out.extend(Item(line, t, path_self) for t in _parallel_items(node.body))
        else:
            out.append(Item(line, strip_item(text), path_parent))
    elif not node.body and not node.children and not has_enum and not label:
        bodies = _joined(plain)
        plain = []
        if role == "plan" and (len(bodies) >= 2 or (bodies and find_parallel(bodies[0].text))):
            # A stand-alone heading over several paragraphs heads them: each is one task.
            for p in bodies:
                out.extend(Item(p.line, t, path_self) for t in _parallel_items(p.text))
        else:
            # A stand-alone heading with one body paragraph: one task at the heading's line.
            text = node.full
            for p in bodies:
                text = _join(text, p.text)
            out.append(Item(line, strip_item(text), path_parent))

    for p, items in enumerated_paras:
        out.extend(Item(p.line, t, path_self) for t in items if t)

    if role == "plan":
        # A plain run-in paragraph is a task even among enumerated neighbours (`1.…` `强化保障。…`).
        sibling = path_parent if node.body else path_self
        for p in plain:
            head = runin_head(p.text)
            if head and not is_label(p.text[: head - 1]):
                out.extend(Item(p.line, t, sibling) for t in _parallel_items(p.text))
    elif role == "problem" and not node.children:
        # Un-enumerated problem paragraphs are one problem each, and so is a plain paragraph after
        # an enumerated list; an introduction or a sentence summing the list up is none.
        for p in plain if not has_enum else after_list:
            if not _INTRO_END.search(p.text) and not _SUMMING_UP.match(p.text):
                out.append(Item(p.line, strip_item(p.text), path_self))
    return out


# A sentence that sums a list up (`以上问题，我们将…加以解决。`) belongs to no item.
_SUMMING_UP = lazy(r"(?:针对|对于|对)?(?:以上|上述|这些|前述)(?:问题|不足|困难|短板|差距)")


def _joined(paras: list[Para]) -> list[Para]:
    """Paragraphs with those broken mid-sentence joined to the next."""
    out: list[Para] = []
    for p in paras:
        if out and out[-1].text[-1:] not in _SENTENCE_END + "；;":
            out[-1] = Para(out[-1].line, out[-1].text + p.text)
        else:
            out.append(p)
    return out


def _parallel_items(text: str) -> list[str]:
    starts = find_parallel(text)
    items = split_parallel(text, starts) if starts else [strip_item(text)]
    return [t for t in items if t]


def _is_label(node: Node) -> bool:
    """A heading that only names its part (`三、2024年工作计划`, `主要困难和问题`) is never an item."""
    return names_part(node.title_text, top_level=node.parent is None or node.parent.section is None)
