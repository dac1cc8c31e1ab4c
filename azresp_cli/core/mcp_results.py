"""A local MCP tool's result as a ``function_call_output``: text, images and resources.

Text blocks (and text resources) become ``input_text`` parts, images ``input_image`` parts (a
data URL), binary resources ``input_file`` parts; a result of text only is sent as a plain
string. Text beyond the server's limit (``max_output_chars``, default 20,000) is cut, with a
note saying so, both for the model and on the screen.
"""

from __future__ import annotations

import json
from typing import Any

from azresp_cli.core.mcp_local import CallOutput


def to_output(result: Any, limit: int) -> CallOutput:
    blocks = [block.model_dump(mode="json", exclude_none=True) for block in result.content]
    parts: list[dict[str, Any]] = []
    texts: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            texts.append(str(block.get("text", "")))
        elif kind == "image":
            mime = block.get("mime_type", "image/png")
            url = f"data:{mime};base64,{block.get('data', '')}"
            parts.append({"type": "input_image", "image_url": url})
            texts.append(f"[image {mime}]")
        elif kind == "resource":
            resource = block.get("resource", {})
            uri = resource.get("uri", "")
            if "text" in resource:
                texts.append(f"[resource {uri}]\n{resource['text']}")
            else:
                name = str(uri).rsplit("/", 1)[-1] or "resource"
                mime = resource.get("mime_type", "application/octet-stream")
                parts.append(
                    {
                        "type": "input_file",
                        "filename": name,
                        "file_data": f"data:{mime};base64,{resource.get('blob', '')}",
                    }
                )
                texts.append(f"[file {name} ({mime})]")
        elif kind == "resource_link":
            texts.append(f"[resource link {block.get('uri', '')}: {block.get('name', '')}]")
        else:
            texts.append(f"[{kind} content not passed on]")
    if not blocks and result.structured_content is not None:
        texts.append(json.dumps(result.structured_content, ensure_ascii=False))
    text = truncate("\n".join(texts), limit)
    if result.is_error:
        text = f"Error: {text}"
    if not parts:
        return CallOutput(text, None, bool(result.is_error))
    return CallOutput(text, ({"type": "input_text", "text": text}, *parts), bool(result.is_error))


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # The note comes first, so the screen's one-line summary shows it too.
    return (
        f"[truncated by azresp: {limit:,} of {len(text):,} characters follow; "
        f"raise max_output_chars in [mcp_local.NAME] for more]\n{text[:limit]}"
    )
