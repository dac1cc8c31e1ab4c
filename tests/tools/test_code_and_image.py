"""The code interpreter and image generation end to end: what is sent, shown and saved."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tool_support import PNG_SIGNATURE, Azresp

Bodies = Callable[[], list[dict[str, Any]]]
SALES = "month,sales\njan,10\nfeb,20\nmar,15\n"


def test_code_uploads_the_csv_and_downloads_the_cited_files(
    azresp: Azresp, bodies: Bodies, emulator: Any, tmp_path: Path
) -> None:
    data = tmp_path / "sales.csv"
    data.write_text(SALES)
    out = tmp_path / "out"
    result = azresp("chat", "--code", "-a", str(data), "-o", str(out), "[[code]] sum the sales")
    assert result.exit_code == 0, result.stderr

    [upload] = [r for r in emulator.requests if r.method == "POST" and r.path.endswith("/files")]
    create = next(r for r in emulator.requests if r.path.endswith("/responses"))
    assert emulator.requests.index(upload) < emulator.requests.index(create)  # uploaded first
    assert create.query.get("api-version") == "preview"
    [tool] = bodies()[0]["tools"]
    assert tool["type"] == "code_interpreter" and tool["container"]["type"] == "auto"
    [file_id] = tool["container"]["file_ids"]
    assert file_id.startswith(("assistant-", "file-"))
    assert "code_interpreter_call.outputs" in bodies()[0]["include"]

    assert "code interpreter runs:" in result.stderr and "sales.csv" in result.stderr
    assert "code interpreter output:" in result.stderr
    saved = sorted(p.name for p in out.iterdir())
    assert saved  # the files the answer cites
    for name in saved:
        assert f"saved file {out / name}" in result.stderr
    assert "saved" not in result.stdout  # stdout stays the answer


def test_saved_files_never_overwrite(azresp: Azresp, tmp_path: Path) -> None:
    data = tmp_path / "sales.csv"
    data.write_text(SALES)
    out = tmp_path / "out"
    for _ in range(2):
        result = azresp("chat", "--code", "-a", str(data), "-o", str(out), "[[code]] plot it")
        assert result.exit_code == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    for name in list(names):
        if "-1" in name:
            assert name.replace("-1", "") in names  # the second run's copy went beside it
    assert any("-1" in name for name in names)


def test_code_on_a_tty_shows_highlighted_code_and_dim_logs(azresp: Azresp, tmp_path: Path) -> None:
    data = tmp_path / "sales.csv"
    data.write_text(SALES)
    result = azresp(
        "chat", "--code", "-a", str(data), "-o", str(tmp_path), "[[code]] sum it", tty=True
    )
    assert result.exit_code == 0, result.stderr
    assert "code interpreter" in result.stderr and "╭" in result.stderr
    assert "\x1b[2m" in result.stderr  # dim logs
    assert "import" in result.stderr


def test_image_is_saved_as_a_valid_png_with_the_deployment_header(
    azresp: Azresp, emulator: Any, tmp_path: Path
) -> None:
    out = tmp_path / "pictures"
    result = azresp(
        "chat", "--image", "--image-deployment", "my-gpt-image", "-o", str(out), "[[image]] a cat"
    )
    assert result.exit_code == 0, result.stderr
    create = next(r for r in emulator.requests if r.path.endswith("/responses"))
    assert create.headers["x-ms-oai-image-generation-deployment"] == "my-gpt-image"
    assert {"type": "image_generation"} in create.json["tools"]
    [image] = list(out.iterdir())
    assert f"saved image {image}" in result.stderr
    data = image.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 0 and height > 0

    flags = ("--image", "--image-deployment", "my-gpt-image", "-o", str(out))
    again = azresp("chat", *flags, "[[image]] a cat")
    assert again.exit_code == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["image-1.png", "image.png"]


def test_image_on_azure_needs_a_deployment(azresp: Azresp, emulator: Any) -> None:
    result = azresp("chat", "--image", "draw")
    assert result.exit_code == 2
    assert "--image needs the deployment of an image model" in result.stderr
    assert emulator.requests == []


def test_image_deployment_and_output_dir_from_the_profile(
    azresp: Azresp, emulator: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative output_dir is relative to the current directory
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        '[profiles.art]\nimage_deployment = "gpt-image-1-art"\noutput_dir = "art"\n'
    )
    result = azresp("chat", "--profile", "art", "--image", "[[image]] a dog")
    assert result.exit_code == 0, result.stderr
    create = next(r for r in emulator.requests if r.path.endswith("/responses"))
    assert create.headers["x-ms-oai-image-generation-deployment"] == "gpt-image-1-art"
    assert f"saved image {tmp_path / 'art' / 'image.png'}" in result.stderr


def test_with_json_stdout_is_the_response_and_saved_paths_go_to_stderr(
    azresp: Azresp, tmp_path: Path
) -> None:
    import json

    flags = ("--json", "--image", "--image-deployment", "img", "-o", str(tmp_path))
    result = azresp("chat", *flags, "[[image]] a boat")
    assert result.exit_code == 0, result.stderr
    response = json.loads(result.stdout)
    assert any(item["type"] == "image_generation_call" for item in response["output"])
    assert f"saved image {tmp_path / 'image.png'}" in result.stderr
