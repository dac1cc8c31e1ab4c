"""`[[long:N]]`: about N tokens of mixed Markdown, built from fixed material, fast at 32k."""

from __future__ import annotations

from collections.abc import Iterator

from azresp_cli.emulator import tokens

_TEXT = (
    "the emulator streams deterministic text so that every test can predict each delta and "
    "each token count while the renderer settles finished blocks into scrollback and keeps "
    "only the unfinished tail live on the screen which is how long answers stay cheap"
)
_WORDS = _TEXT.split()
_TOPICS = ("Streaming", "Chaining", "Background jobs", "Reasoning", "Rendering", "Retries")


def generate(target_tokens: int) -> str:
    """Markdown of `target_tokens` tokens or slightly more (whole blocks are never cut)."""
    blocks: list[str] = []
    total = 0
    for block in _blocks():
        if total >= target_tokens:
            break
        remaining = target_tokens - total
        if tokens.count(block) > remaining and not block.startswith(("```", "|", "#", "-")):
            block = tokens.first_tokens(block, remaining).rstrip()  # only prose is cut
        blocks.append(block)
        total += tokens.count(block)
    return "\n\n".join(blocks) + "\n"


def _blocks() -> Iterator[str]:
    section = 0
    while True:
        section += 1
        topic = _TOPICS[section % len(_TOPICS)]
        yield f"## {section}. {topic}"
        yield _paragraph(section, 40)
        yield "\n".join(f"- {_phrase(section * 7 + item, 6)}" for item in range(3))
        if section % 3 == 0:
            yield _table(section)
        if section % 2 == 0:
            yield _code(section)
        yield _paragraph(section + 100, 30)


def _phrase(seed: int, length: int) -> str:
    # A fixed stride through the word list: varied enough to read as text, never random.
    return " ".join(_WORDS[(seed * 5 + index * 3) % len(_WORDS)] for index in range(length))


def _paragraph(seed: int, length: int) -> str:
    sentences = [_phrase(seed + index, length // 3).capitalize() + "." for index in range(3)]
    return " ".join(sentences)


def _table(seed: int) -> str:
    rows = [f"| {seed}.{row} | {_phrase(seed + row, 2)} | {row * seed} |" for row in range(1, 4)]
    return "\n".join(["| step | what | count |", "| --- | --- | ---: |", *rows])


def _code(seed: int) -> str:
    return (
        "```python\n"
        f"def step_{seed}(events: list[str]) -> int:\n"
        f'    """Count the events of step {seed}."""\n'
        f"    return sum(1 for event in events if event.startswith('response.'))\n"
        "```"
    )
